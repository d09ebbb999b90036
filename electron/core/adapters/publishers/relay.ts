// Publisher adapter for a Hero Desk relay (the bundled one or a standalone deployment):
// POST /publish with a bearer secret. The relay dedupes by idempotency key, durably, so the outbox
// may retry freely. What a failure means comes from the one failure policy (failures.ts).
import { z } from 'zod';
import { AdapterError, fetchWithDeadline, httpFailure, kindForHttpStatus, readResponse, type DeadlineSignal } from '../../base/failures.ts';
import type { PublicationMessage, Publisher, SecretStore } from '../types.ts';
import { envName } from '../secrets.ts';

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
  const label = `relay ${endpoint}`;
  const secretHint = `set the secret "${options.publishSecretName}" (board Keys panel, or ${envName(options.publishSecretName)}) to the relay's publish secret`;

  const secret = (): string => {
    const value = config.publishSecret ?? deps.secrets?.get(options.publishSecretName);
    if (!value) throw new AdapterError(`relay publish secret "${options.publishSecretName}" is not set: ${secretHint}`, 'auth');
    return value;
  };

  type Answer = { response: Response; call: DeadlineSignal; signal?: AbortSignal };
  async function post(body: string, signal?: AbortSignal): Promise<Answer> {
    const init = { method: 'POST', headers: { Authorization: `Bearer ${secret()}`, 'Content-Type': 'application/json' }, body };
    const { response, call } = await fetchWithDeadline(endpoint, init, { label, timeoutMs: options.timeoutMs, signal });
    return { response, call, signal };
  }

  function classify(response: Response, detail: string): AdapterError {
    const kind = kindForHttpStatus(response.status);
    if (kind === 'auth') {
      const fix = config.publishSecret === undefined ? `: ${secretHint}` : '';
      return new AdapterError(`${label} rejected the publish secret (HTTP ${response.status})${fix}`, 'auth');
    }
    return httpFailure(label, response.status, detail, response.headers, kind);
  }

  /** The relay's reason, read under the same deadline. */
  async function failureOf({ response, call, signal }: Answer): Promise<AdapterError> {
    const text = await readResponse(response, 'text', { label, timeoutMs: options.timeoutMs, signal, call });
    return classify(response, detailOf(text));
  }

  function detailOf(text: string): string {
    try {
      const body = JSON.parse(text) as { error?: unknown; issues?: unknown };
      const issues = Array.isArray(body.issues) ? ` (${body.issues.slice(0, 3).join('; ')})` : '';
      return typeof body.error === 'string' ? `${body.error}${issues}` : '';
    } catch {
      return '';
    }
  }

  return {
    name: 'relay',
    async publish(message: PublicationMessage, signal: AbortSignal): Promise<void> {
      const answer = await post(JSON.stringify(message), signal);
      if (answer.response.ok) {
        await answer.response.body?.cancel();
        return;
      }
      throw await failureOf(answer);
    },
    // An empty body with the real secret: 400 proves reachability and a valid secret, and publishes nothing.
    async check(signal?: AbortSignal): Promise<void> {
      const answer = await post('{}', signal);
      if (answer.response.status === 400) {
        await answer.response.body?.cancel();
        return;
      }
      throw await failureOf(answer);
    },
  };
}
