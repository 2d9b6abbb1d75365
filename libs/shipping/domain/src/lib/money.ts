/** Money in integer minor units; never floating point arithmetic on amounts. */
export class Money {
  private constructor(
    readonly minor: number,
    readonly currency: string,
  ) {}

  static ofMinor(minor: number, currency = 'usd'): Money {
    if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be an integer, got ${minor}`);
    return new Money(minor, currency.toLowerCase());
  }

  /** From a decimal amount such as 18.49 (rounded half away from zero to the cent). */
  static ofMajor(major: number, currency = 'usd'): Money {
    return Money.ofMinor(Math.round(major * 100), currency);
  }

  /** The decimal amount, as ShipStation and Shippo print it. */
  get major(): number {
    return this.minor / 100;
  }

  /** Shippo prints amounts as strings with two decimals. */
  toDecimalString(): string {
    const sign = this.minor < 0 ? '-' : '';
    const abs = Math.abs(this.minor);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
}
