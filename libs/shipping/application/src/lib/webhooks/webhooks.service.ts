import { Inject, Injectable } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { generateWebhookSecret, WebhookUrlPolicy } from '@shipbatch/platform/webhooks';
import { InvalidInputError, NotFoundError, type WebhookEvent } from '@shipbatch/shipping/domain';
import type { WebhookAttempt, WebhookDeliveryRecord, WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookRecord, WebhookRepository } from './webhook.repository';
import { WEBHOOK_DELIVERY_REPOSITORY, WEBHOOK_REPOSITORY } from '../tokens';

export interface NewWebhook {
  url: string;
  event: WebhookEvent;
  isTest?: boolean;
  active?: boolean;
}

/**
 * A tenant's webhooks: the URL is checked when saved (https, or http for a test webhook; never a
 * host that resolves to a private, loopback, link-local or metadata address unless the operator
 * allows it), the secret made here and shown once.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(WEBHOOK_REPOSITORY) private readonly webhooks: WebhookRepository,
    @Inject(WEBHOOK_DELIVERY_REPOSITORY) private readonly deliveryLog: WebhookDeliveryRepository,
    private readonly policy: WebhookUrlPolicy,
  ) {}

  /** The new webhook and its secret (`whsec_...`), which is never shown again. */
  async create(tenantId: string, input: NewWebhook): Promise<{ webhook: WebhookRecord; secret: string }> {
    const isTest = input.isTest ?? false;
    await this.assertUrl(input.url, isTest);
    const now = new Date();
    const webhook: WebhookRecord = {
      id: newObjectId(),
      tenantId,
      url: input.url,
      event: input.event,
      isTest,
      active: input.active ?? true,
      disabledReason: null,
      createdAt: now,
      updatedAt: now,
    };
    const secret = generateWebhookSecret();
    await this.webhooks.insert(webhook, secret);
    return { webhook, secret };
  }

  async get(tenantId: string, id: string): Promise<WebhookRecord> {
    const found = await this.webhooks.findById(tenantId, id);
    if (!found) throw new NotFoundError('Webhook', id);
    return found;
  }

  list(tenantId: string, page: number, pageSize: number): Promise<{ results: WebhookRecord[]; count: number }> {
    return this.webhooks.list(tenantId, page, pageSize);
  }

  async update(tenantId: string, id: string, patch: Partial<NewWebhook>): Promise<WebhookRecord> {
    const current = await this.get(tenantId, id);
    const isTest = patch.isTest ?? current.isTest;
    if (patch.url !== undefined || patch.isTest !== undefined) await this.assertUrl(patch.url ?? current.url, isTest);
    const updated = await this.webhooks.update(tenantId, id, { url: patch.url, event: patch.event, active: patch.active, isTest: patch.isTest });
    if (!updated) throw new NotFoundError('Webhook', id);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.webhooks.delete(tenantId, id))) throw new NotFoundError('Webhook', id);
  }

  async deliveries(tenantId: string, id: string, page: number, pageSize: number): Promise<{ results: WebhookDeliveryRecord[]; count: number }> {
    await this.get(tenantId, id);
    return this.deliveryLog.list(tenantId, id, page, pageSize);
  }

  /** One delivery with every attempt made so far (oldest first). */
  async delivery(tenantId: string, id: string, deliveryId: string): Promise<{ delivery: WebhookDeliveryRecord; attempts: WebhookAttempt[] }> {
    await this.get(tenantId, id);
    const delivery = await this.deliveryLog.findById(tenantId, id, deliveryId);
    if (!delivery) throw new NotFoundError('Webhook delivery', deliveryId);
    return { delivery, attempts: await this.deliveryLog.attempts(delivery.id) };
  }

  /** Sends a delivery again at once (whatever its state), with the same `webhook-id`. */
  async redeliver(tenantId: string, id: string, deliveryId: string): Promise<WebhookDeliveryRecord> {
    await this.get(tenantId, id);
    const delivery = await this.deliveryLog.redeliver(tenantId, id, deliveryId);
    if (!delivery) throw new NotFoundError('Webhook delivery', deliveryId);
    return delivery;
  }

  private async assertUrl(url: string, isTest: boolean): Promise<void> {
    const verdict = await this.policy.check(url, { isTest });
    if (!verdict.ok) throw new InvalidInputError(verdict.reason.startsWith('url') ? verdict.reason : `url: ${verdict.reason}`, 'webhook_url_refused', 'url');
  }
}
