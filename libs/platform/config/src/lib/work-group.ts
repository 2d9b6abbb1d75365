import { AsyncLocalStorage } from 'node:async_hooks';

/** The fairness group (the tenant) of the queue job being run, if any. */
const workGroups = new AsyncLocalStorage<string>();

/** Runs `fn` (a queue job) as work of `group`: what it asks of shared resources is served in turns with other groups'. */
export function runInWorkGroup<T>(group: string, fn: () => T): T {
  return workGroups.run(group, fn);
}

/** The group of the work running now (`''` outside any job: HTTP requests, timers). */
export function currentWorkGroup(): string {
  return workGroups.getStore() ?? '';
}
