// Publishes hero-image updates as a signed JSON webhook (for a CMS or the site's own backend).
// The receiver verifies `X-Hero-Desk-Signature: sha256=<hex>` = HMAC-SHA256(secret, raw body) and
// dedupes on `Idempotency-Key`, because the outbox retries until it sees a 2xx.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { PublicationMessage, Publisher, SecretStore } from '../types.ts';
import { AdapterError } from '../types.ts';
import { httpStatusError, postJson } from './http.ts';

export const SIGNATURE_HEADER = 'X-Hero-Desk-Signature';

export const WebhookConfigSchema = z.strictObject({
  url: z.url(),
  /** Name of the secret holding the HMAC key shared with the receiver. */
  signingSecret: z.string().min(1).default('webhookSigningSecret'),
  timeoutMs: z.number().int().positive().default(10_000),
  /** Extra static headers the receiver wants (e.g. a routing header). Never put credentials here: use the secret. */
  headers: z.record(z.string(), z.string()).default({}),
});
export type WebhookConfig = z.input<typeof WebhookConfigSchema>;

/** `sha256=<hex>` over the exact bytes sent; exported so receivers (and tests) compute it the same way. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function createWebhookPublisher(rawConfig: WebhookConfig, deps: { secrets: SecretStore }): Publisher {
  const config = WebhookConfigSchema.parse(rawConfig);
  const label = `Webhook ${new URL(config.url).origin}`;

  function secret(): string {
    const value = deps.secrets.get(config.signingSecret);
    if (!value) throw new AdapterError(`${label}: signing secret "${config.signingSecret}" is not set`, 'auth');
    return value;
  }

  return {
    name: 'webhook',
    async publish(message: PublicationMessage, signal: AbortSignal): Promise<void> {
      const body = JSON.stringify(message);
      const reply = await postJson(
        label,
        config.url,
        body,
        {
          ...config.headers,
          [SIGNATURE_HEADER]: signBody(body, secret()),
          'Idempotency-Key': message.idempotencyKey,
        },
        signal,
        config.timeoutMs,
      );
      if (reply.status < 200 || reply.status >= 300) throw httpStatusError(label, reply);
    },
    /** No standard probe exists for an arbitrary receiver; check only what would make every publish fail. */
    async check(): Promise<void> {
      secret();
    },
  };
}
