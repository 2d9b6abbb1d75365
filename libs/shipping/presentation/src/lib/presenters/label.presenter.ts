import type { LabelView } from '@shipbatch/shipping/application';
import { labelFormatOf, Money } from '@shipbatch/shipping/domain';
import { iso } from './iso-date';

function amount(minor: number, currency: string) {
  return { currency: currency.toLowerCase(), amount: Money.ofMinor(minor, currency).major };
}

/**
 * ShipStation's label object (v2), plus external_shipment_id: every field of the seed's "Get
 * Label by ID" example, in its order. Values are what the service knows; a field it has no
 * value for is null (rma_number, label_image_id, paperless_download, tracking_url, ...), never
 * made up. One label is one package.
 */
export function presentLabel(l: LabelView) {
  const { format, layout } = labelFormatOf(l.labelFileType);
  const cost = amount(l.costMinor, l.currency);
  // Only the format the label was bought in has a file; the link is signed when read.
  const labelDownload: Partial<Record<'pdf' | 'png' | 'zpl' | 'href', string>> = l.download
    ? { [l.download.format]: l.download.url, href: l.download.url }
    : {};
  return {
    label_id: l.id,
    status: l.status,
    shipment_id: l.shipmentId,
    external_shipment_id: l.externalShipmentId,
    ship_date: iso(l.shipDate ?? l.createdAt),
    created_at: iso(l.createdAt),
    shipment_cost: cost,
    insurance_cost: { currency: cost.currency, amount: 0 },
    requested_comparison_amount: null,
    rate_details: [
      {
        rate_detail_type: 'shipping',
        carrier_description: null,
        carrier_billing_code: 'Base Rate',
        carrier_memo: null,
        amount: cost,
        billing_source: 'Carrier',
      },
    ],
    tracking_number: l.trackingNumber,
    is_return_label: l.isReturnLabel,
    rma_number: null,
    is_international: l.isInternational,
    batch_id: l.batchId ?? '',
    carrier_id: l.carrierAccountId,
    charge_event: 'carrier_default',
    service_code: l.serviceCode,
    package_code: 'package',
    voided: l.status === 'voided',
    voided_at: iso(l.voidedAt),
    label_format: format,
    display_scheme: 'label',
    label_layout: layout,
    trackable: l.trackingNumber.length > 0,
    label_image_id: null,
    carrier_code: l.carrier,
    tracking_status: 'unknown',
    label_download: labelDownload,
    form_download: null,
    paperless_download: null,
    insurance_claim: null,
    packages: [
      {
        package_id: null,
        package_code: 'package',
        weight: null,
        dimensions: null,
        insured_value: { currency: cost.currency, amount: 0 },
        tracking_number: l.trackingNumber,
        label_download: labelDownload,
        form_download: null,
        qr_code_download: null,
        paperless_download: null,
        label_messages: { reference1: null, reference2: null, reference3: null },
        external_package_id: null,
        content_description: null,
        sequence: 1,
        has_label_documents: l.download !== null,
        has_form_documents: false,
        has_qr_code_documents: false,
        has_paperless_label_documents: false,
        alternative_identifiers: [],
      },
    ],
    alternative_identifiers: [],
    tracking_url: null,
  };
}
