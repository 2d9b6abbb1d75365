/**
 * A provider's table from Shippo's service-level tokens (`usps_priority`) to its own service
 * codes (`usps_priority_mail`), and back. Every adapter whose provider names services its own way
 * keeps one; a code the table does not know passes through unchanged either way, so a client may
 * also give the provider's own code.
 */
export class ServiceCodeTable {
  constructor(private readonly codes: Readonly<Record<string, string>>) {}

  /** The provider's code for a Shippo token; a provider code (or anything unknown) is returned unchanged. */
  toCode(token: string): string {
    return Object.prototype.hasOwnProperty.call(this.codes, token) ? this.codes[token] : token;
  }

  /** The Shippo token for a provider code when the table has one, else the code itself. */
  fromCode(code: string): string {
    return Object.keys(this.codes).find((token) => this.codes[token] === code) ?? code;
  }

  /** The table's tokens grouped by carrier (the token's prefix): `{ usps: [...], ups: [...], fedex: [...] }`. */
  byCarrier(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const token of Object.keys(this.codes)) {
      const carrier = token.slice(0, token.indexOf('_'));
      (out[carrier] ??= []).push(token);
    }
    return out;
  }
}
