import { peakRequests } from './request-peaks';

describe('peakRequests', () => {
  it('counts the most arrivals in any window, in any order; a request exactly one window later is in the next', () => {
    expect(peakRequests([], 1_000)).toBe(0);
    expect(peakRequests([5_000, 0, 999, 500, 1_000, 1_200], 1_000)).toBe(4);
    expect(peakRequests([0, 1_000, 2_000], 1_000)).toBe(1);
  });
});
