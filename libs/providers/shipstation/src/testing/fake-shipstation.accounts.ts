import type { FakeHandler, FakeRequest } from '@shipbatch/providers/testing';
import { FAKE_CARRIER_NAMES, FAKE_SHIPSTATION_SERVICES } from './fake-shipstation.catalog';
import { notFound, shipStationError } from './fake-shipstation.errors';
import type { FakeCarrierState, FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

/** The minimum top-up ShipStation accepts, in dollars. */
export const FAKE_SHIPSTATION_MIN_FUNDS = 10;

const apiKeyOf = (req: FakeRequest) => req.headers['api-key'] as string;

function presentServices(c: FakeCarrierState): Json[] {
  // The spec types a service's carrier_code as an se_id (a mistake of the document), so it is left out.
  return c.services.map((code) => {
    const s = FAKE_SHIPSTATION_SERVICES[c.carrierCode][code];
    return { carrier_id: c.carrierId, service_code: code, name: s.name, domestic: s.domestic, international: s.international, is_multi_package_supported: c.carrierCode !== 'stamps_com', is_return_supported: true };
  });
}

function presentCarrier(c: FakeCarrierState): Json {
  return {
    carrier_id: c.carrierId,
    carrier_code: c.carrierCode,
    account_number: `FAKE-${c.carrierId.slice(3).toUpperCase()}`,
    requires_funded_amount: true,
    balance: c.balanceCents / 100,
    nickname: c.nickname,
    friendly_name: FAKE_CARRIER_NAMES[c.carrierCode],
    primary: false,
    has_multi_package_supporting_services: c.carrierCode !== 'stamps_com',
    allows_returns: true,
    supports_label_messages: true,
    disabled_by_billing_plan: false,
    services: presentServices(c),
    packages: [],
    options: [],
  };
}

const ZIP = /^\d{5}(-?\d{4})?$/;

/** Verifies US addresses with street, city, a two-letter state and a 5 or 9 digit ZIP; anything else is an `error`. */
function validateOne(a: Json): Json {
  const s = (k: string) => (typeof a[k] === 'string' ? (a[k] as string).trim() : '');
  const messages: Json[] = [];
  const problem = (message: string, detail_code: string) => messages.push({ code: 'a1004', message, type: 'error', detail_code });
  const country = s('country_code').toUpperCase();
  if (country !== 'US') problem(`Only US addresses can be verified (country_code '${s('country_code')}').`, 'unsupported_country');
  if (!s('address_line1')) problem('address_line1 is missing.', 'missing_house_number');
  if (!s('city_locality')) problem('city_locality is missing.', 'address_not_found');
  if (!/^[A-Za-z]{2}$/.test(s('state_province'))) problem(`state_province '${s('state_province')}' is not a two-letter state.`, 'address_not_found');
  if (!ZIP.test(s('postal_code'))) problem(`postal_code '${s('postal_code')}' is not a 5 or 9 digit ZIP code.`, 'invalid_postal_code');
  // The response's address requires name and postal_code, which a request may leave out.
  const original: Json = { ...a, name: s('name') || '(none)', postal_code: s('postal_code') || '(none)' };
  if (messages.length) return { status: 'error', original_address: original, matched_address: null, messages };
  const upper = (k: string) => (s(k) ? { [k]: s(k).toUpperCase() } : {});
  const matched: Json = {
    ...original,
    ...upper('address_line1'),
    ...upper('address_line2'),
    ...upper('city_locality'),
    ...upper('state_province'),
    country_code: 'US',
    address_residential_indicator: a.address_residential_indicator ?? 'unknown',
  };
  return { status: 'verified', original_address: original, matched_address: matched, messages: [] };
}

/** Handlers for carriers (balance, services, add funds) and address validation. */
export function accountHandlers(state: FakeShipStationState): Record<string, FakeHandler> {
  const carrierFor = (req: FakeRequest) => state.carrierOf(apiKeyOf(req), String(req.params.carrier_id));
  return {
    get_carrier_by_id: (req) => {
      const c = carrierFor(req);
      return c ? { status: 200, body: presentCarrier(c) } : notFound(`Carrier ${String(req.params.carrier_id)}`);
    },
    list_carrier_services: (req) => {
      const c = carrierFor(req);
      return c ? { status: 200, body: { services: presentServices(c) } } : notFound(`Carrier ${String(req.params.carrier_id)}`);
    },
    add_funds_to_carrier: (req) => {
      const c = carrierFor(req);
      if (!c) return notFound(`Carrier ${String(req.params.carrier_id)}`);
      const { currency, amount } = req.body as { currency: string; amount: number };
      if (currency.toLowerCase() !== 'usd') return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'currency', message: `Funds can only be added in usd, not '${currency}'.` });
      if (!(amount >= FAKE_SHIPSTATION_MIN_FUNDS)) {
        return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'amount', message: `The minimum amount that can be added is ${FAKE_SHIPSTATION_MIN_FUNDS.toFixed(2)} usd (got ${amount}).` });
      }
      c.balanceCents += Math.round(amount * 100);
      c.fundsAdded.push({ amount, at: Date.now() });
      return { status: 200, body: { balance: { currency: 'usd', amount: c.balanceCents / 100 } } };
    },
    validate_address: (req) => ({ status: 200, body: (req.body as Json[]).map(validateOne) }),
  };
}
