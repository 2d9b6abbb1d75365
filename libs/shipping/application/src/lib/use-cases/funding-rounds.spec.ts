import { FUNDING_ROUNDS_MAX_MS, FundingRounds, MAX_UNFUNDED_RETRIES } from './funding-rounds';

describe('FundingRounds', () => {
  it('allows retries while top-ups come, and stops after MAX_UNFUNDED_RETRIES in a row without one', () => {
    const rounds = new FundingRounds();
    for (let i = 0; i < 50; i++) expect(rounds.retried(true)).toBe(true);
    for (let i = 1; i < MAX_UNFUNDED_RETRIES; i++) expect(rounds.retried(false)).toBe(true);
    // A top-up in between starts the count again.
    expect(rounds.retried(true)).toBe(true);
    for (let i = 1; i < MAX_UNFUNDED_RETRIES; i++) expect(rounds.retried(false)).toBe(true);
    expect(rounds.retried(false)).toBe(false);
  });

  it('is overdue FUNDING_ROUNDS_MAX_MS after the first insufficient-funds answer, not before it', () => {
    const rounds = new FundingRounds();
    expect(rounds.overdue(10_000_000)).toBe(false);
    rounds.begin(1_000);
    rounds.begin(5_000);
    expect(rounds.overdue(1_000 + FUNDING_ROUNDS_MAX_MS)).toBe(false);
    expect(rounds.overdue(1_001 + FUNDING_ROUNDS_MAX_MS)).toBe(true);
  });
});
