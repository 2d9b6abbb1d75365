import type { WebhookEvent } from '@shipbatch/shipping/domain';

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
