import type { FakeAnswer } from '@shipbatch/providers/testing';

/** One of Shippo's messages (`ResponseMessage`): on ERROR transactions and batch shipments. */
export interface FakeShippoMessage {
  source: string;
  code: string;
  text: string;
}

/**
 * An error answer in Shippo's shape (Django REST framework): `{ detail }` for auth, throttling
 * and refusals of the whole request, `{ <field>: [messages] }` for refused fields.
 */
export function shippoError(status: number, body: { detail: string } | Record<string, string[]>, headers?: Record<string, string>): FakeAnswer {
  return { status, body, headers };
}

export const shippoDetail = (status: number, detail: string, headers?: Record<string, string>): FakeAnswer => shippoError(status, { detail }, headers);

/** `body/shipment/address_to: must have required property 'country'` -> `{ 'shipment.address_to': [...] }`. */
export function shippoValidationBody(problems: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const m = /^(?:body|query parameter '([^']+)'|header parameter '([^']+)'|path parameter '([^']+)')\/?([^:]*): (.*)$/.exec(p);
    const field = m ? (m[1] ?? m[2] ?? m[3] ?? (m[4].split('/').filter(Boolean).join('.') || '__all__')) : '__all__';
    (out[field] ??= []).push(m ? m[5] : p);
  }
  return out;
}
