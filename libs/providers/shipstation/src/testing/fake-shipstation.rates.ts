import type { FakeHandler, FakeRequest } from '@shipbatch/providers/testing';
import { FAKE_CARRIER_NAMES, FAKE_SHIPSTATION_SERVICES } from './fake-shipstation.catalog';
import { shipStationError } from './fake-shipstation.errors';
import type { FakeCarrierState, FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

const usd = (cents: number) => ({ currency: 'usd', amount: cents / 100 });

/**
 * ShipEngine's `estimate_rates_request_body` is closed (`additionalProperties: false`) over the
 * options part only, and puts `carrier_id` / `carrier_ids` in `oneOf` branches that require
 * nothing: no request can conform (every one matches both branches, and the carrier fields are
 * "additional"). ShipStation takes `carrier_ids` (or the deprecated `carrier_id`); so does the fake.
 */
export const ESTIMATE_RATES_REQUEST_DEVIATIONS = [
  { in: 'request' as const, operationId: 'estimate_rates', problem: /^body: must match exactly one schema in oneOf$/, reason: "neither oneOf branch of estimate_rates_request_body requires anything, so every body matches both" },
  { in: 'request' as const, operationId: 'estimate_rates', problem: /^body: must NOT have additional property 'carrier_ids?'$/, reason: 'the closed estimate_rates_request_body leaves out the carrier fields its own oneOf branches declare' },
];

/** One service's estimate as ShipStation answers it: the fixed price the label would be sold at. */
function presentEstimate(c: FakeCarrierState, serviceCode: string): Json {
  const s = FAKE_SHIPSTATION_SERVICES[c.carrierCode][serviceCode];
  return {
    rate_type: 'check',
    carrier_id: c.carrierId,
    shipping_amount: usd(s.priceCents),
    insurance_amount: usd(0),
    confirmation_amount: usd(0),
    other_amount: usd(0),
    zone: null,
    package_type: null,
    guaranteed_service: false,
    negotiated_rate: false,
    service_type: s.name,
    service_code: serviceCode,
    trackable: true,
    carrier_code: c.carrierCode,
    carrier_nickname: c.nickname,
    carrier_friendly_name: FAKE_CARRIER_NAMES[c.carrierCode],
    validation_status: 'valid',
    warning_messages: [],
    error_messages: [],
  };
}

/** `POST /v2/rates/estimate`: every service of the carriers asked for (the key's own), domestic or international as the route is. */
export function rateHandlers(state: FakeShipStationState): Record<string, FakeHandler> {
  const estimate: FakeHandler = (req: FakeRequest) => {
    const apiKey = req.headers['api-key'] as string;
    const body = req.body as Json;
    const ids = Array.isArray(body.carrier_ids) ? body.carrier_ids.map(String) : typeof body.carrier_id === 'string' ? [body.carrier_id] : [];
    if (ids.length === 0) {
      return shipStationError(400, { error_type: 'validation', error_code: 'field_value_required', field_name: 'carrier_ids', message: 'carrier_ids is required.' });
    }
    const carriers: FakeCarrierState[] = [];
    for (const id of ids) {
      const c = state.carrierOf(apiKey, id);
      if (!c) return shipStationError(400, { error_type: 'validation', error_code: 'invalid_identifier', field_name: 'carrier_ids', message: `carrier_id ${id} is not a carrier of this account.` });
      carriers.push(c);
    }
    const domestic = String(body.from_country_code).toUpperCase() === String(body.to_country_code).toUpperCase();
    const rates = carriers.flatMap((c) =>
      c.services
        .filter((code) => (domestic ? FAKE_SHIPSTATION_SERVICES[c.carrierCode][code].domestic : FAKE_SHIPSTATION_SERVICES[c.carrierCode][code].international))
        .map((code) => presentEstimate(c, code)),
    );
    return { status: 200, body: rates };
  };
  return { estimate_rates: estimate };
}
