/**
 * Tracking numbers shaped like the carrier's, with the carrier's check digit, made from a
 * database sequence value through a bijection (an affine map, multiplication by a prime coprime
 * to 10 plus an offset, modulo a power of ten). Different sequence values give different numbers, so they never repeat, and
 * consecutive labels do not look sequential.
 *
 * Unique for sequence values below: USPS 10^17, UPS 10^7 x 36^4, FedEx 10^11, DHL 10^9.
 */
const PRIME = 982_451_653n;
const OFFSET = 314_159_265_358_979_323n;

/** A bijection on [0, 10^digits): the same value always gives the same digits. */
function scramble(value: bigint, digits: number): string {
  const mod = 10n ** BigInt(digits);
  return (((value % mod) * PRIME + OFFSET) % mod).toString().padStart(digits, '0');
}

const digitsOf = (s: string): number[] => [...s].map(Number);

/** USPS IMpb (and GS1) mod 10: from the right, weights 3, 1, 3, ... */
export function uspsCheckDigit(body: string): number {
  const sum = digitsOf(body)
    .reverse()
    .reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** UPS 1Z check digit over the 15 characters after `1Z` (letters: A=2, B=3, ... wrapping mod 10). */
export function upsCheckDigit(body: string): number {
  const values = [...body].map((c) => (/\d/.test(c) ? Number(c) : (c.charCodeAt(0) - 65 + 2) % 10));
  const sum = values.reduce((acc, v, i) => acc + (i % 2 === 0 ? v : 2 * v), 0);
  return (10 - (sum % 10)) % 10;
}

/** FedEx 12-digit: from the right, weights 1, 3, 7, ...; sum mod 11, then mod 10. */
export function fedexCheckDigit(body: string): number {
  const weights = [1, 3, 7];
  const sum = digitsOf(body)
    .reverse()
    .reduce((acc, d, i) => acc + d * weights[i % 3], 0);
  return (sum % 11) % 10;
}

/** DHL Express 10-digit: the first nine digits mod 7. */
export function dhlCheckDigit(body: string): number {
  return Number(BigInt(body) % 7n);
}

/** USPS IMpb service prefixes: Priority Mail 9205, Priority Mail Express 9270, others 9400. */
const USPS_PREFIX: Readonly<Record<string, string>> = {
  usps_priority: '9205',
  usps_priority_express: '9270',
  usps_ground_advantage: '9400',
  usps_first_class: '9400',
};

/** UPS service codes inside a 1Z number. */
const UPS_SERVICE_CODE: Readonly<Record<string, string>> = {
  ups_ground: '03',
  ups_next_day_air: '01',
  ups_second_day_air: '02',
  ups_3_day_select: '12',
};

export function mockTrackingNumber(carrier: string, seq: number, serviceLevelToken = ''): string {
  const n = BigInt(seq);
  switch (carrier) {
    case 'usps': {
      const body = `${USPS_PREFIX[serviceLevelToken] ?? '9400'}${scramble(n, 17)}`;
      return `${body}${uspsCheckDigit(body)}`; // 22 digits
    }
    case 'ups': {
      // 1Z + shipper (6) + service (2) + package (7) + check digit = 1Z + 16.
      const shipper = `SB${(n / 10_000_000n).toString(36).toUpperCase().padStart(4, '0')}`;
      const body = `${shipper}${UPS_SERVICE_CODE[serviceLevelToken] ?? '03'}${scramble(n, 7)}`;
      return `1Z${body}${upsCheckDigit(body)}`;
    }
    case 'fedex': {
      const body = scramble(n, 11);
      return `${body}${fedexCheckDigit(body)}`; // 12 digits
    }
    case 'dhl_express': {
      const body = scramble(n, 9);
      return `${body}${dhlCheckDigit(body)}`; // 10 digits
    }
    default:
      return `MOCK${scramble(n, 16)}`;
  }
}
