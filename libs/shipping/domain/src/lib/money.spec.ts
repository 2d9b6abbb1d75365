import { Money } from './money';

describe('Money', () => {
  it('keeps integer minor units', () => {
    expect(Money.ofMajor(18.49).minor).toBe(1849);
    expect(Money.ofMajor(0.1 + 0.2).minor).toBe(30);
  });
  it('prints two decimals', () => {
    expect(Money.ofMinor(1849).toDecimalString()).toBe('18.49');
    expect(Money.ofMinor(5).toDecimalString()).toBe('0.05');
    expect(Money.ofMinor(-250).toDecimalString()).toBe('-2.50');
  });
  it('rejects fractional minor units', () => {
    expect(() => Money.ofMinor(1.5)).toThrow(RangeError);
  });
});
