import { createHash } from 'node:crypto';
import type { LabelFileType, NativeBatchStatus, PortAddress, PurchaseLabelCommand, PurchasedLabel } from '@shipbatch/providers/core';
import { fromServiceCode, LABEL_FORMATS, toPurchasedLabel, toServiceCode, toShipDate, toSsAddress, toSsPackage } from './shipstation.mapper';
import type {
  SsBatch,
  SsBatchError,
  SsBatchStatus,
  SsCreateShipmentsAnswer,
  SsCreateWarehouseRequest,
  SsListedLabel,
  SsOptionalLink,
  SsPaginationLinks,
  SsProcessBatchRequest,
  SsShipmentCreate,
} from './shipstation-batch.types';
import type { SsAddress } from './shipstation.types';
import { withShipmentOptions } from './shipstation-extra.mapper';

/** A message about one shipment, with ShipStation's own text (and its code where it gives one). */
export interface SsShipmentMessage {
  source: 'shipstation';
  code: string;
  text: string;
}

/** Where a ShipStation batch is: not yet processed, buying, or done (nothing more will change). */
export type SsBatchPhase = 'OPEN' | 'PROCESSING' | 'DONE';

const PHASES: Readonly<Record<SsBatchStatus, SsBatchPhase>> = {
  open: 'OPEN',
  queued: 'PROCESSING',
  processing: 'PROCESSING',
  // Labels are made; ShipStation is still telling order sources. Not final: a shipment without a
  // label or an error yet may still get one.
  notifying: 'PROCESSING',
  completed: 'DONE',
  completed_with_errors: 'DONE',
  // "If the batch enters an Invalid or Completed with Errors state, you cannot re-use the batch."
  invalid: 'DONE',
  archived: 'DONE',
};

/** The phase of a batch status; an unknown status is still processing (read again later). */
export function batchPhase(status: string): SsBatchPhase {
  return Object.prototype.hasOwnProperty.call(PHASES, status) ? PHASES[status as SsBatchStatus] : 'PROCESSING';
}

/**
 * A batch status as the core's: `open` is READY (made, not processed); `invalid` FAILED (it cannot
 * be processed); final ones PURCHASED (the lists tell what each shipment became); the rest
 * PURCHASING (read again later).
 */
export function toNativeBatchStatus(status: string): NativeBatchStatus {
  if (status === 'invalid') return 'FAILED';
  const phase = batchPhase(status);
  return phase === 'OPEN' ? 'READY' : phase === 'DONE' ? 'PURCHASED' : 'PURCHASING';
}

/** The `page` a link points at, when it names one. */
function pageOf(link: SsOptionalLink | undefined): number | undefined {
  if (!link?.href) return undefined;
  try {
    const page = Number(new URL(link.href, 'http://localhost').searchParams.get('page'));
    return Number.isInteger(page) && page >= 1 ? page : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many pages a list has: what the answer says (`pages`), else the page its `last` link
 * names, else this page and one more when a `next` link is given.
 */
export function listPages(page: number, answer: { pages?: number; links?: SsPaginationLinks }): number {
  if (typeof answer.pages === 'number' && answer.pages >= 1) return Math.max(answer.pages, 1);
  const last = pageOf(answer.links?.last);
  if (last !== undefined) return Math.max(last, page);
  return answer.links?.next?.href ? page + 1 : Math.max(page, 1);
}

/** ShipStation words a batch shipment refused for lack of funds like this ("Insufficient account balance"). */
const INSUFFICIENT_FUNDS = /insufficient\s+(?:funds|(?:account\s+)?balance)/i;

/**
 * The code of a batch error. `/errors` gives ShipStation's text only: insufficient funds is told
 * by its words (`insufficient_funds`, so the funding policy applies), anything else is
 * `batch_error`.
 */
export function batchErrorCode(text: string): string {
  return INSUFFICIENT_FUNDS.test(text) ? 'insufficient_funds' : 'batch_error';
}

/** One failed shipment of a batch as a message on that shipment, ShipStation's text kept. */
export function batchErrorMessage(error: SsBatchError): SsShipmentMessage {
  const text = typeof error.error === 'string' && error.error.trim() ? error.error.trim() : 'ShipStation reported an error for this shipment without a message.';
  return { source: 'shipstation', code: batchErrorCode(text), text };
}

/**
 * The batch's own errors (`process_errors`: processing the batch as a whole failed), ShipStation's
 * text and code kept; every shipment of the batch carries them.
 */
export function processErrorMessages(batch: Pick<SsBatch, 'process_errors'>): SsShipmentMessage[] {
  return (batch.process_errors ?? [])
    .filter((e) => e && typeof e === 'object')
    .map((e) => ({ source: 'shipstation' as const, code: e.error_code || 'batch_process_error', text: (e.message ?? '').trim() || 'ShipStation could not process the batch.' }));
}

/**
 * The errors of a batch (every page read) per our reference: `external_shipment_id` when given,
 * else the reference of the ShipStation shipment (`shipment_id`). Errors naming neither are kept
 * apart (`unmatched`).
 */
export function batchErrorsByReference(
  errors: SsBatchError[],
  referenceOfShipment: (shipmentId: string) => string | undefined,
): { byReference: Map<string, SsShipmentMessage[]>; unmatched: SsShipmentMessage[] } {
  const byReference = new Map<string, SsShipmentMessage[]>();
  const unmatched: SsShipmentMessage[] = [];
  for (const error of errors) {
    const reference = error.external_shipment_id || (error.shipment_id ? referenceOfShipment(error.shipment_id) : undefined);
    const message = batchErrorMessage(error);
    if (!reference) unmatched.push(message);
    else byReference.set(reference, [...(byReference.get(reference) ?? []), message]);
  }
  return { byReference, unmatched };
}

const normalized = (a: SsAddress): string =>
  JSON.stringify(
    Object.keys(a)
      .sort()
      .map((k) => [k, String((a as unknown as Record<string, unknown>)[k] ?? '').trim().toLowerCase()]),
  );

/**
 * The warehouse a shipment ships from in a batch (ShipStation: a batch's shipments name one
 * `warehouse_id` instead of `ship_from`): its ship-from address, and its return address (the
 * ship-from when none; ShipStation prints the warehouse's return address on the label). `name` is
 * what the adapter calls it in the account, made from a hash of both addresses, so the same
 * places always find the same warehouse again.
 */
export function warehouseFor(from: PortAddress, returnTo?: PortAddress): { name: string; request: SsCreateWarehouseRequest } {
  const origin = toSsAddress(from);
  const back = toSsAddress(returnTo ?? from);
  const hash = createHash('sha256').update(normalized(origin)).update('\u0000').update(normalized(back)).digest('hex').slice(0, 16);
  const name = `Shipbatch ${hash}`;
  return { name, request: { name, is_default: false, origin_address: origin, return_address: back } };
}

/**
 * One purchase as a shipment of `POST /v2/shipments`: the same shipment a single purchase sends,
 * with the warehouse instead of `ship_from` and `return_to`, and our reference as
 * `external_shipment_id`.
 */
export function toSsShipmentCreate(command: PurchaseLabelCommand, carrierId: string, warehouseId: string): SsShipmentCreate {
  const { shipment } = command;
  const out: SsShipmentCreate = {
    validate_address: 'no_validation',
    carrier_id: carrierId,
    service_code: toServiceCode(command.serviceLevelToken),
    external_shipment_id: command.reference,
    warehouse_id: warehouseId,
    ship_to: toSsAddress(shipment.addressTo),
    packages: shipment.parcels.map(toSsPackage),
  };
  const shipDate = toShipDate(shipment.shipmentDate);
  if (shipDate) out.ship_date = shipDate;
  return withShipmentOptions(out, shipment.extra);
}

/** What `POST /v2/shipments` made of one of our shipments: its ShipStation id, or why not. */
export interface SsCreatedShipment {
  reference: string;
  shipmentId?: string;
  messages: SsShipmentMessage[];
}

/**
 * The answer of `POST /v2/shipments` per reference sent, in the order sent. A shipment is matched
 * by its `external_shipment_id`, else by its place in the answer when the answer has one shipment
 * per shipment sent. A shipment the answer does not name is reported with a message.
 */
export function createdShipments(answer: SsCreateShipmentsAnswer, sentReferences: string[]): SsCreatedShipment[] {
  const shipments = Array.isArray(answer?.shipments) ? answer.shipments : [];
  const byReference = new Map(shipments.filter((s) => s.external_shipment_id).map((s) => [s.external_shipment_id as string, s]));
  const sameLength = shipments.length === sentReferences.length;
  return sentReferences.map((reference, i) => {
    const s = byReference.get(reference) ?? (sameLength && !shipments[i].external_shipment_id ? shipments[i] : undefined);
    if (!s) {
      return { reference, messages: [{ source: 'shipstation', code: 'shipment_not_created', text: `ShipStation's answer names no shipment with external_shipment_id ${reference}.` }] };
    }
    const errors = (s.errors ?? []).filter((e): e is string => typeof e === 'string' && e.trim() !== '');
    const messages: SsShipmentMessage[] = errors.map((text) => ({ source: 'shipstation', code: 'shipment_error', text: text.trim() }));
    const out: SsCreatedShipment = { reference, messages };
    if (s.shipment_id && errors.length === 0) out.shipmentId = s.shipment_id;
    return out;
  });
}

/**
 * The body of `process/labels`: the batch's one label format and layout. No `ship_date`: each
 * shipment keeps the date it was created with. Undefined when ShipStation makes no such label
 * file type.
 */
export function toProcessRequest(labelFileType: LabelFileType): SsProcessBatchRequest | undefined {
  const format = LABEL_FORMATS[labelFileType];
  return format ? { label_format: format.format, label_layout: format.layout } : undefined;
}

/**
 * A label listed by batch as our reference and the port's PurchasedLabel, or undefined when it
 * is not a label bought for one of our shipments (not completed, voided, or naming no reference
 * we know). The reference is the label's `external_shipment_id`, else that of its shipment.
 */
export function toBatchLabel(
  label: SsListedLabel,
  referenceOfShipment: (shipmentId: string) => string | undefined,
  carrier: string,
): { reference: string; label: PurchasedLabel } | undefined {
  if (label.status !== 'completed' || label.voided) return undefined;
  const reference = label.external_shipment_id || (label.shipment_id ? referenceOfShipment(label.shipment_id) : undefined);
  if (!reference) return undefined;
  return { reference, label: toPurchasedLabel(label, reference, carrier, fromServiceCode(label.service_code ?? '')) };
}
