import { ProviderUnavailableError, ProviderValidationError } from '@shipbatch/providers/core';
import { isExternalIdConflict, isExternalIdConflictText } from './shipstation.conflicts';

describe('ShipStation external_shipment_id conflicts', () => {
  it('tells a refused duplicate external_shipment_id by its code and field, or by its words', () => {
    expect(isExternalIdConflict(new ProviderValidationError('shipstation: x (identifier_conflict)', { details: { provider_code: 'identifier_conflict', field: 'external_shipment_id' } }))).toBe(true);
    expect(isExternalIdConflict(new ProviderValidationError('shipstation: x', { details: { provider_code: 'identifier_conflict', field: 'shipment.external_shipment_id' } }))).toBe(true);
    expect(isExternalIdConflict(new ProviderValidationError('shipstation: x', { details: { provider_code: 'identifier_conflict' } }))).toBe(true);
    expect(isExternalIdConflict(new ProviderValidationError("shipstation: A shipment with external_shipment_id 'r1' already exists. (invalid_field_value)"))).toBe(true);
    expect(isExternalIdConflict(new ProviderValidationError('shipstation: x', { details: { provider_code: 'identifier_conflict', field: 'warehouse_id' } }))).toBe(false);
    expect(isExternalIdConflict(new ProviderValidationError('shipstation: Insufficient funds (insufficient_funds)', { details: { provider_code: 'insufficient_funds' } }))).toBe(false);
    expect(isExternalIdConflict(new ProviderUnavailableError('shipstation: external_shipment_id already exists'))).toBe(false);
    expect(isExternalIdConflictText("A shipment with external_shipment_id 'r1' already exists.")).toBe(true);
    expect(isExternalIdConflictText('Duplicate external shipment id r1')).toBe(true);
    expect(isExternalIdConflictText('Recipient address has not been verified.')).toBe(false);
  });
});
