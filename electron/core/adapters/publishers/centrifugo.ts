// Publishes hero-image updates to readers through a Centrifugo server's HTTP API
// (POST <apiUrl>/api/publish, X-API-Key). The outbox retries; Centrifugo's idempotency_key
// (per channel, 5-minute window) keeps a retry from reaching readers twice.
import { z } from 'zod';
import type { PublicationMessage, Publisher, SecretStore } from '../types.ts';
import { AdapterError } from '../types.ts';
import type { HttpReply } from './http.ts';
import { httpStatusError, postJson } from './http.ts';

export const CentrifugoConfigSchema = z.strictObject({
  /** Server base URL, e.g. https://relay.example.com (the `/api/...` path is appended). */
  apiUrl: z.url(),
  apiKeySecret: z.string().min(1).default('centrifugoApiKey'),
  /**
   * Channel to publish to; `{articleId}` and `{section}` are substituted, so readers can listen to one
   * story (`heroes:{articleId}`) or a whole site (`heroes`). The namespace must exist in Centrifugo's config.
   */
  channel: z.string().min(1).default('heroes'),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type CentrifugoConfig = z.input<typeof CentrifugoConfigSchema>;

/**
 * Centrifugo answers API errors with HTTP 200 and `{ error: { code, message } }`.
 * 100 internal and 111 too-many-requests are documented as temporary; 106 limit exceeded clears with time.
 */
const TEMPORARY_CODES = new Set([100, 106, 111]);
const AUTH_CODES = new Set([101, 103]);

interface CentrifugoReply {
  result?: unknown;
  error?: { code?: number; message?: string; temporary?: boolean };
}

function channelFor(template: string, message: PublicationMessage): string {
  // Centrifugo channel names cannot contain spaces; keep ids readable but safe.
  const safe = (value: string): string => value.replace(/[^A-Za-z0-9_.\-=@]/g, '_');
  return template.replaceAll('{articleId}', safe(message.articleId)).replaceAll('{section}', safe(message.section));
}

export function createCentrifugoPublisher(rawConfig: CentrifugoConfig, deps: { secrets: SecretStore }): Publisher {
  const config = CentrifugoConfigSchema.parse(rawConfig);
  const base = config.apiUrl.replace(/\/+$/, '');
  const label = `Centrifugo at ${base}`;

  function apiKey(): string {
    const key = deps.secrets.get(config.apiKeySecret);
    if (!key) throw new AdapterError(`${label}: API key is not set (secret "${config.apiKeySecret}" is missing)`, 'auth');
    return key;
  }

  function interpret(reply: HttpReply, what: string): CentrifugoReply {
    if (reply.status === 401) {
      throw new AdapterError(`${label} rejected the API key (HTTP 401); check secret "${config.apiKeySecret}"`, 'auth');
    }
    if (reply.status < 200 || reply.status >= 300) throw httpStatusError(label, reply);
    let parsed: CentrifugoReply;
    try {
      parsed = JSON.parse(reply.body) as CentrifugoReply;
    } catch {
      // A proxy's HTML error page or a half-written body: the server side is unhealthy, not our request.
      throw new AdapterError(`${label}: ${what} answered with non-JSON (HTTP ${reply.status})`, 'retryable');
    }
    const error = parsed.error;
    if (error) {
      const code = error.code ?? 0;
      const text = `${label}: ${what} failed with Centrifugo error ${code} "${error.message ?? ''}"`;
      if (error.temporary || TEMPORARY_CODES.has(code)) throw new AdapterError(text, 'retryable');
      if (AUTH_CODES.has(code)) throw new AdapterError(text, 'auth');
      throw new AdapterError(text, 'bad_request');
    }
    return parsed;
  }

  async function call(method: string, payload: unknown, signal?: AbortSignal): Promise<CentrifugoReply> {
    const reply = await postJson(
      label,
      `${base}/api/${method}`,
      JSON.stringify(payload),
      { 'x-api-key': apiKey() },
      signal,
      config.timeoutMs,
    );
    return interpret(reply, method);
  }

  return {
    name: 'centrifugo',
    async publish(message: PublicationMessage, signal: AbortSignal): Promise<void> {
      await call(
        'publish',
        { channel: channelFor(config.channel, message), data: message, idempotency_key: message.idempotencyKey },
        signal,
      );
    },
    /** `info` needs the API key too, so it proves both reachability and the key. */
    async check(signal?: AbortSignal): Promise<void> {
      await call('info', {}, signal);
    },
  };
}
