import type { WebhookDeliveryState, WebhookDeliveryTransition, WebhookEvent } from '@shipbatch/shipping/domain';

export interface WebhookRecord {
  id: string;
  tenantId: string;
  url: string;
  event: WebhookEvent;
  isTest: boolean;
  active: boolean;
  /** Why the service turned it off (a receiver's 410), or null. */
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookRepository {
  /** Stores a webhook with its secret, encrypted (the plaintext is never stored). */
  insert(record: WebhookRecord, secret: string): Promise<void>;
  findById(tenantId: string, id: string): Promise<WebhookRecord | null>;
  /** Newest first; `page` from 1. */
  list(tenantId: string, page: number, pageSize: number): Promise<{ results: WebhookRecord[]; count: number }>;
  /** Changes url / event / active (turning it on again clears `disabledReason`); null when not the tenant's. */
  update(tenantId: string, id: string, patch: Partial<Pick<WebhookRecord, 'url' | 'event' | 'active' | 'isTest'>>): Promise<WebhookRecord | null>;
  /** Deletes it and its deliveries; false when not the tenant's. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** A delivery as the tenant sees it (`GET /webhooks/{id}/deliveries`). */
export interface WebhookDeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  event: string;
  objectId: string;
  status: WebhookDeliveryState;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed by a worker to be sent, with what sending needs. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  webhookId: string;
  url: string;
  isTest: boolean;
  /** Decrypted; never logged. */
  secret: string;
  event: string;
  objectId: string;
  /** What the outbox event recorded with the change (a batch event: the status it announces). */
  eventPayload: Record<string, unknown>;
  /** The exact body sent by the first attempt (every retry sends the same); null before it. */
  body: string | null;
  attempts: number;
  firstAttemptAt: Date | null;
}

export interface WebhookAttempt {
  at: Date;
  outcome: 'succeeded' | 'failed' | 'gone' | 'refused';
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDeliveryRepository {
  /**
   * Turns up to `limit` unpublished outbox events (oldest first) into one delivery per active
   * webhook of the event's tenant that subscribed to it (created before the event), and marks
   * them published, in one statement: two workers never relay one event twice. Returns how many
   * events were relayed (fewer than `limit`: none are left).
   */
  relay(limit: number): Promise<{ events: number; deliveries: number }>;
  /** Leases up to `limit` pending deliveries of active webhooks that are due, oldest due first, for `leaseMs` (a webhook turned off keeps its pending ones for when it is on again). */
  claimDue(limit: number, leaseMs: number): Promise<string[]>;
  /** A delivery leased by `claimDue`, still pending, of an active webhook; null when it is gone, settled, no longer leased or its webhook is off. */
  load(id: string): Promise<ClaimedDelivery | null>;
  /** Keeps the body the first attempt sends (a retry sends the same), unless one was kept already; returns the body to send. */
  keepBody(id: string, body: string): Promise<string>;
  /**
   * Records an attempt and applies the transition the domain chose (delivered, retry at
   * `nextAttemptAt`, gave_up), releasing the lease; with `disableWebhook` the webhook is turned
   * off in the same transaction.
   */
  recordAttempt(id: string, attempt: WebhookAttempt, next: { transition: WebhookDeliveryTransition; nextAttemptAt?: Date; disableWebhook?: string }): Promise<boolean>;
  /** Newest first. */
  list(tenantId: string, webhookId: string, page: number, pageSize: number): Promise<{ results: WebhookDeliveryRecord[]; count: number }>;
  findById(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null>;
  /** Every attempt of a delivery, oldest first. */
  attempts(deliveryId: string): Promise<WebhookAttempt[]>;
  /** Sends it again at once: pending, due now (from any state; a pending one is just made due). */
  redeliver(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null>;
}

/**
 * Renders the object an event is about as the API's GET shows it (the delivery's `data`); a
 * batch event's object carries the status the event announced (`eventPayload.status`), though
 * the batch may have moved on (VALID -> PURCHASING) by the time the first attempt is made.
 */
export interface WebhookObjectRenderer {
  render(tenantId: string, event: string, objectId: string, eventPayload: Record<string, unknown>): Promise<unknown | null>;
}
