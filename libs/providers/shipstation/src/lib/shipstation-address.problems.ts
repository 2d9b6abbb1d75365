import { ADDRESS_OWNER as WHOSE, type ValidationProblem } from '@shipbatch/providers/core';
import type { SsAddressValidationResult } from './shipstation.types';

/** Which port field an address validation detail code is about. */
const DETAIL_FIELDS: Readonly<Record<string, string>> = {
  invalid_postal_code: 'zip',
  minimum_postal_code_verification_failed: 'zip',
  unsupported_country: 'country',
  non_supported_country: 'country',
  country_invalid_length: 'country',
  city_locality_max_length_exceeded: 'city',
  state_province_max_length_exceeded: 'state',
  invalid_house_number: 'street1',
  missing_house_number: 'street1',
  street_does_not_match_unique_street_name: 'street1',
  line1_min_max_length: 'street1',
  line2_max_length_exceeded: 'street2',
  suite_not_valid: 'street2',
  suite_missing: 'street2',
  name_max_length_exceeded: 'name',
  phone_max_length_exceeded: 'phone',
  company_name_max_length_exceeded: 'company',
};

/**
 * The problems in ShipStation's answer to POST /v2/addresses/validate for `[ship_from, ship_to]`:
 * a result with status `error` or error messages is INVALID, naming the side (and the field
 * where the detail code says which).
 */
export function addressProblems(results: SsAddressValidationResult[]): ValidationProblem[] {
  const sides = ['address_from', 'address_to'] as const;
  const problems: ValidationProblem[] = [];
  sides.forEach((side, i) => {
    const result = results?.[i];
    if (!result) return;
    const errors = (result.messages ?? []).filter((m) => m.type === 'error');
    if (result.status !== 'error' && errors.length === 0) return;
    if (errors.length === 0) {
      problems.push({ field: side, code: 'address_invalid', text: `ShipStation could not verify the ${WHOSE[side]} address.`, severity: 'INVALID' });
      return;
    }
    for (const m of errors) {
      const field = m.detail_code ? DETAIL_FIELDS[m.detail_code] : undefined;
      problems.push({
        field: field ? `${side}.${field}` : side,
        code: 'address_invalid',
        text: `The ${WHOSE[side]} address is not valid: ${m.message}${m.detail_code ? ` (${m.detail_code})` : ''}`,
        severity: 'INVALID',
      });
    }
  });
  return problems;
}
