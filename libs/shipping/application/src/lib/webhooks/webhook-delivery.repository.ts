import type { WebhookDeliveryState, WebhookDeliveryTransition } from '@shipbatch/shipping/domain';

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
  /** When the event it delivers was recorded (its outbox row): delivery lag is measured from here. */
  eventAt: Date;
  /**
   * The webhook's rounds in a row that could not reach its receiver (0: it answered the last
   * one). A webhook above 0 gets one delivery a round (a probe).
   */
  webhookFailures: number;
}

/** A due delivery to be recorded as not sent (its webhook's receiver could not be reached): what its next time needs. */
export interface DueDelivery {
  id: string;
  attempts: number;
  firstAttemptAt: Date | null;
}

/** What `claimDue` leased: the token, and each delivery with its webhook. */
export interface DeliveryLease {
  token: string;
  deliveries: Array<{ id: string; webhookId: string }>;
}

export interface RecordedAttempt {
  id: string;
  attempt: WebhookAttempt;
  transition: WebhookDeliveryTransition;
  nextAttemptAt?: Date;
  /** Set on a 410: turn the webhook off, with this reason. */
  disableWebhook?: string;
  /**
   * Record it only while the delivery is still due and no claim holds it: an attempt recorded
   * without being sent, for a delivery the round did not lease (`dueOf`).
   */
  ifStillDue?: boolean;
}

/** A webhook's reach after a round: its receiver answered (`reachable`), or no attempt got an answer. */
export interface WebhookHealthChange {
  webhookId: string;
  health: 'reachable' | 'unreachable';
}

export interface WebhookAttempt {
  at: Date;
  outcome: 'succeeded' | 'failed' | 'gone' | 'refused';
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** Deliveries waiting, for operators (metrics): counts, never ids. */
export interface WebhookBacklog {
  /** Pending deliveries due now (or overdue): to be sent by the next rounds. */
  due: number;
  /** Pending deliveries scheduled later (retries waiting for their backoff). */
  scheduled: number;
  /** Outbox events not yet turned into deliveries by the relay. */
  unrelayedEvents: number;
}

export interface WebhookDeliveryRepository {
  /**
   * Turns up to `limit` unpublished outbox events (oldest first) into one delivery per active
   * webhook of the event's tenant that subscribed to it (created before the event), and marks
   * them published, in one statement: two workers never relay one event twice. Returns how many
   * events were relayed (fewer than `limit`: none are left).
   */
  relay(limit: number): Promise<{ events: number; deliveries: number }>;
  /**
   * Leases up to `limit` due pending deliveries of active webhooks for `leaseMs` under one new
   * token, fairly: every webhook's oldest due first, round by round (the first of each webhook,
   * then the second of each, ...), so one webhook's backlog does not starve another. A webhook
   * whose last round could not reach its receiver (`consecutive_failures` > 0) gives one (a
   * probe, its oldest due) when none of its deliveries is out, until a round reaches it. Nothing
   * holds a due delivery back: due means offered. A webhook turned off keeps its pending ones for
   * when it is on again.
   */
  claimDue(limit: number, leaseMs: number): Promise<DeliveryLease>;
  /**
   * Up to `limit` pending deliveries of an active webhook that are due now and that no claim
   * holds, oldest due first: those a probe that could not reach the receiver stands for, to be
   * recorded (`recordAttempts` with `ifStillDue`) as failed without being sent.
   */
  dueOf(webhookId: string, limit: number): Promise<DueDelivery[]>;
  /**
   * The deliveries of `ids` still leased under `token` (not run out, not taken over by a later
   * claim), still pending, of an active webhook; the others are left out.
   */
  loadLeased(ids: readonly string[], token: string): Promise<ClaimedDelivery[]>;
  /** Keeps each body the first attempt sends (a retry sends the same), unless one was kept already; returns the body to send, by id. */
  keepBodies(bodies: ReadonlyArray<{ id: string; body: string }>): Promise<Map<string, string>>;
  /**
   * In one transaction: records each attempt and applies the transition the domain chose
   * (delivered, retry at `nextAttemptAt`, gave_up), releasing the lease, for the deliveries still
   * pending (and, with `ifStillDue`, still due and held by no claim); turns off the webhooks of `disableWebhook`; and applies each webhook's reach after
   * the round: `reachable` clears its unreachable rounds, `unreachable` counts one more. Returns
   * the ids recorded.
   */
  recordAttempts(attempts: ReadonlyArray<RecordedAttempt>, health: ReadonlyArray<WebhookHealthChange>): Promise<string[]>;
  /** What waits to be delivered, counted now (two index-backed counts). */
  backlog(): Promise<WebhookBacklog>;
  /** Newest first. */
  list(tenantId: string, webhookId: string, page: number, pageSize: number): Promise<{ results: WebhookDeliveryRecord[]; count: number }>;
  findById(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null>;
  /** Every attempt of a delivery, oldest first. */
  attempts(deliveryId: string): Promise<WebhookAttempt[]>;
  /**
   * Sends it again at once: pending, due now (from any state; a pending one is just made due),
   * and its webhook's receiver is tried again as if it had answered: the next round sends every
   * due delivery of it rather than a probe.
   */
  redeliver(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null>;
}
