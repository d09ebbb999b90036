// Publisher adapter for a Hero Desk relay (the bundled one or a standalone deployment):
// POST /publish with a bearer secret. The relay dedupes by idempotency key, so the outbox may retry freely.
import { z } from 'zod';
import { parseRetryAfter as retryAfterMs } from '../adapters/retry-after.ts';
import { AdapterError } from '../adapters/types.ts';
import type { PublicationMessage, Publisher, SecretStore } from '../adapters/types.ts';

export const RelayPublisherConfigSchema = z.strictObject({
  /** The relay's base URL, e.g. https://relay.example.com (the page readers load is `${url}/reader`). */
  url: z.url({ protocol: /^https?$/ }),
  /** Name of the secret in the SecretStore; ignored when `publishSecret` is given directly. */
  publishSecretName: z.string().min(1).default('relayPublishSecret'),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type RelayPublisherConfig = z.input<typeof RelayPublisherConfigSchema> & {
  /** The secret itself, for the in-process relay whose secret the core generates. */
  publishSecret?: string;
};

export function createRelayPublisher(config: RelayPublisherConfig, deps: { secrets?: SecretStore } = {}): Publisher {
  // the in-process secret is code's, not config's: the strict schema sees only config keys
  const { publishSecret: _inProcess, ...fromConfig } = config;
  const options = RelayPublisherConfigSchema.parse(fromConfig);
  const endpoint = `${options.url.replace(/\/+$/, '')}/publish`;

  const secret = (): string => {
    const value = config.publishSecret ?? deps.secrets?.get(options.publishSecretName);
    if (!value) throw new AdapterError(`relay publish secret "${options.publishSecretName}" is not set`, 'auth');
    return value;
  };

  async function post(body: string, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      return await fetch(endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret()}`, 'Content-Type': 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (error instanceof AdapterError) throw error;
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : error; // the caller gave up: not the relay's fault
      const why = timeout.aborted ? `timed out after ${options.timeoutMs} ms` : 'could not be reached';
      throw new AdapterError(`relay ${why}`, 'retryable', { cause: error });
    }
  }

  function classify(response: Response, detail: string): AdapterError {
    const status = response.status;
    const message = `relay answered ${status}${detail ? `: ${detail}` : ''}`;
    if (status === 401 || status === 403) return new AdapterError('relay rejected the publish secret (401)', 'auth');
    if (status === 429 || status >= 500) return new AdapterError(message, 'retryable', { retryAfterMs: retryAfterMs(response.headers.get('retry-after')) });
    return new AdapterError(message, 'bad_request');
  }

  async function detailOf(response: Response): Promise<string> {
    try {
      const body = (await response.json()) as { error?: unknown; issues?: unknown };
      const issues = Array.isArray(body.issues) ? ` (${body.issues.slice(0, 3).join('; ')})` : '';
      return typeof body.error === 'string' ? `${body.error}${issues}` : '';
    } catch {
      return '';
    }
  }

  return {
    name: 'relay',
    async publish(message: PublicationMessage, signal: AbortSignal): Promise<void> {
      const response = await post(JSON.stringify(message), signal);
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      throw classify(response, await detailOf(response));
    },
    // An empty body with the real secret: 400 proves reachability and a valid secret, and publishes nothing.
    async check(signal?: AbortSignal): Promise<void> {
      const response = await post('{}', signal);
      if (response.status === 400) {
        await response.body?.cancel();
        return;
      }
      throw classify(response, await detailOf(response));
    },
  };
}
