import { FundingRounds, MAX_UNFUNDED_RETRIES } from './funding-rounds';

describe('FundingRounds', () => {
  it('allows retries while top-ups come, and stops after MAX_UNFUNDED_RETRIES in a row without one', () => {
    const rounds = new FundingRounds(Date.now() + 60_000);
    for (let i = 0; i < 50; i++) expect(rounds.retried(true)).toBe(true);
    for (let i = 1; i < MAX_UNFUNDED_RETRIES; i++) expect(rounds.retried(false)).toBe(true);
    // A top-up in between starts the count again.
    expect(rounds.retried(true)).toBe(true);
    for (let i = 1; i < MAX_UNFUNDED_RETRIES; i++) expect(rounds.retried(false)).toBe(true);
    expect(rounds.retried(false)).toBe(false);
  });

  it('is overdue after its deadline, and tells the time left until it', () => {
    const rounds = new FundingRounds(10_000);
    expect(rounds.overdue(10_000)).toBe(false);
    expect(rounds.remainingMs(9_000)).toBe(1_000);
    expect(rounds.overdue(10_001)).toBe(true);
    expect(rounds.remainingMs(12_000)).toBe(0);
  });
});
