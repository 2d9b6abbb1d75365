import type { ValidationRepository } from './validation.repository';
import { ValidationLease } from './validation-lease';
import { ValidationLeaseLostError } from './validation-lease-lost.error';

/** The lease columns of one batch, in memory: the token is a counter. */
function leaseStore() {
  const log: string[] = [];
  let holder: string | null = null;
  let n = 0;
  const repo = {
    claimValidation: async () => (holder ? null : (holder = `t${++n}`)),
    renewValidation: async (_b: string, token: string) => {
      log.push(`renew ${token}`);
      return token === holder ? (holder = `t${++n}`) : null;
    },
    releaseValidation: async (_b: string, token: string) => {
      log.push(`release ${token}`);
      if (token === holder) holder = null;
    },
  } as unknown as ValidationRepository;
  return { repo, log, steal: () => (holder = 'someone else'), holder: () => holder };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ValidationLease', () => {
  it('is claimed by one holder at a time, renewed while held, and released with its latest token', async () => {
    const store = leaseStore();
    const lease = await ValidationLease.claim(store.repo, 'b1', 30);
    expect(lease).not.toBeNull();
    expect(await ValidationLease.claim(store.repo, 'b1', 30)).toBeNull();
    await sleep(60);
    lease?.assertHeld();
    await lease?.release();
    expect(store.log[0]).toBe('renew t1');
    expect(store.log.at(-1)).toMatch(/^release t\d+$/);
    expect(store.log.at(-1)).not.toBe('release t1');
    expect(store.holder()).toBeNull();
    expect(await ValidationLease.claim(store.repo, 'b1', 30)).not.toBeNull();
  });

  it('stops its holder once a renewal finds it taken, and gives nothing back then', async () => {
    const store = leaseStore();
    const lease = await ValidationLease.claim(store.repo, 'b1', 30);
    store.steal();
    await sleep(60);
    expect(() => lease?.assertHeld()).toThrow(ValidationLeaseLostError);
    await lease?.release();
    expect(store.log.filter((l) => l.startsWith('release'))).toEqual([]);
    expect(store.holder()).toBe('someone else');
  });
});
