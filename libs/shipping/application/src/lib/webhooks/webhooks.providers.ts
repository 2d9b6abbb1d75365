import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { WebhookSender, WebhookUrlPolicy } from '@shipbatch/platform/webhooks';

/** The URL policy (WEBHOOK_ALLOWED_HOSTS) and the sender (WEBHOOK_TIMEOUT_MS), from the configuration. */
export const WEBHOOK_DELIVERY_PROVIDERS: Provider[] = [
  { provide: WebhookUrlPolicy, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new WebhookUrlPolicy({ allowedHosts: c.webhooks.allowedHosts }) },
  {
    provide: WebhookSender,
    inject: [WebhookUrlPolicy, APP_CONFIG],
    useFactory: (policy: WebhookUrlPolicy, c: AppConfig) => new WebhookSender({ policy, timeoutMs: c.webhooks.timeoutMs }),
  },
];
