/** Shippo service level tokens -> ShipStation v1 service codes. Codes of the provider's own pass through. */
export const SERVICE_CODES: Readonly<Record<string, string>> = {
  usps_priority: 'usps_priority',
};

export function toServiceCode(token: string): string {
  return SERVICE_CODES[token] ?? token;
}
