import { ExpressFirst } from './express-first';

/** A step that runs until `finish` is called, recording when it started. */
function controlled(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ExpressFirst', () => {
  it('lets every regular step through at once while no express job runs', async () => {
    const first = new ExpressFirst();
    const log: string[] = [];
    const steps = Array.from({ length: 5 }, (_, i) => controlled(log, `r${i}`));
    const running = steps.map((s) => first.regularStep(s.run));
    await settle();
    expect(log).toEqual(['start r0', 'start r1', 'start r2', 'start r3', 'start r4']);
    expect(first.held).toBe(0);
    steps.forEach((s) => s.finish());
    expect(await Promise.all(running)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('while an express job runs, holds regular steps beyond two under way and lets them on one by one, then all at its end', async () => {
    const first = new ExpressFirst();
    const log: string[] = [];
    const express = controlled(log, 'express');
    const job = first.expressJob(express.run);
    const steps = Array.from({ length: 5 }, (_, i) => controlled(log, `r${i}`));
    const running = steps.map((s) => first.regularStep(s.run));
    await settle();
    expect(log).toEqual(['start express', 'start r0', 'start r1']);
    expect(first.held).toBe(3);

    steps[0].finish();
    await settle();
    expect(log.slice(3)).toEqual(['end r0', 'start r2']);
    expect(first.held).toBe(2);

    express.finish();
    expect(await job).toBe('express');
    await settle();
    expect(log.slice(5)).toEqual(['end express', 'start r3', 'start r4']);
    expect(first.held).toBe(0);
    steps.forEach((s) => s.finish());
    await Promise.all(running);
  });

  it('holds regular steps until the last of several express jobs ends, and a failing step or job frees its place', async () => {
    const first = new ExpressFirst();
    first.regularStepsWhileExpress = 1;
    const log: string[] = [];
    const a = controlled(log, 'a');
    const b = controlled(log, 'b');
    const jobA = first.expressJob(a.run);
    const jobB = first.expressJob(async () => {
      await b.run();
      throw new Error('express job failed');
    });
    const failing = first.regularStep(async () => {
      log.push('start failing');
      await settle();
      throw new Error('step failed');
    });
    const later = controlled(log, 'later');
    const after = first.regularStep(later.run);
    await expect(failing).rejects.toThrow('step failed');
    await settle();
    // The failed step's place went to the next one.
    expect(log).toEqual(['start a', 'start b', 'start failing', 'start later']);
    const third = controlled(log, 'third');
    const held = first.regularStep(third.run);
    await settle();
    expect(first.held).toBe(1);
    a.finish();
    await jobA;
    await settle();
    expect(first.held).toBe(1);
    b.finish();
    await expect(jobB).rejects.toThrow('express job failed');
    await settle();
    expect(first.express).toBe(0);
    expect(first.held).toBe(0);
    expect(log).toContain('start third');
    later.finish();
    third.finish();
    await Promise.all([after, held]);
  });

  it('a turn ends once, however often its end is called', async () => {
    const first = new ExpressFirst();
    first.regularStepsWhileExpress = 1;
    const log: string[] = [];
    const express = controlled(log, 'express');
    const job = first.expressJob(express.run);
    const done = await first.regularTurn();
    let second = false;
    const next = first.regularTurn().then((end) => {
      second = true;
      return end;
    });
    const third = first.regularTurn();
    await settle();
    expect(second).toBe(false);
    done();
    done();
    await settle();
    expect(second).toBe(true);
    // The second call of the first turn's end did not free another place.
    expect(first.held).toBe(1);
    (await next)();
    (await third)();
    express.finish();
    await job;
  });
});
