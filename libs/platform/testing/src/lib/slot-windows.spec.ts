import { mostInWindow } from './slot-windows';

describe('mostInWindow', () => {
  it('counts the most slots in any half-open window, in any order', () => {
    expect(mostInWindow([], 1000)).toBe(0);
    expect(mostInWindow([0, 999, 1000, 1500, 1999], 1000)).toBe(3);
    expect(mostInWindow([2000, 0, 1000], 1000)).toBe(1);
    expect(mostInWindow([5, 5, 5], 1)).toBe(3);
  });
});
