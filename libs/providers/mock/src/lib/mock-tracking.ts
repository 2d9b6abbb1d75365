/**
 * Tracking numbers shaped like the carrier's, made from a database sequence through a
 * bijection (multiplication by a prime coprime to 10 modulo a power of ten), so they never
 * repeat and do not look sequential.
 */
const PRIME = 982_451_653n;

function scramble(seq: bigint, digits: number): string {
  const mod = 10n ** BigInt(digits);
  return ((seq * PRIME) % mod).toString().padStart(digits, '0');
}

export function mockTrackingNumber(carrier: string, seq: number): string {
  const n = BigInt(seq);
  switch (carrier) {
    case 'usps':
      return `9400${scramble(n, 18)}`; // 22 digits
    case 'ups':
      return `1ZSB2026${'03'}${scramble(n, 8)}`; // 18 characters, 1Z + 16
    case 'fedex':
      return scramble(n, 12); // 12 digits
    case 'dhl_express':
      return scramble(n, 10); // 10 digits
    default:
      return `MOCK${scramble(n, 16)}`;
  }
}
