// Shared plumbing for the OpenAI adapters: config common to all three, client construction,
// and the start-up model check against GET /v1/models.
import OpenAI from 'openai';
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import type { AdapterLogger as BaseLogger, AdapterServices } from '../types.ts';
import { classifyOpenAIError } from './errors.ts';
import { PriceTableSchema } from './prices.ts';

export type AdapterLogger = Pick<BaseLogger, 'debug' | 'warn'>;
export type OpenAIDeps = AdapterServices<'debug' | 'warn'>;

export const OpenAICommonConfigSchema = z.strictObject({
  /** Name of the secret holding the API key, never the key itself. */
  apiKeySecret: z.string().min(1).default('openai'),
  /** Override for tests or an OpenAI-compatible server. */
  baseURL: z.url().default('https://api.openai.com/v1'),
  /** Optional organisation / project headers. */
  organization: z.string().min(1).nullable().default(null),
  project: z.string().min(1).nullable().default(null),
  /** Per-model USD per 1M token prices, merged over the built-in table. */
  prices: PriceTableSchema.default({}),
});
export type OpenAICommonConfig = z.infer<typeof OpenAICommonConfigSchema>;

export interface OpenAIConnection {
  client: OpenAI;
  apiKey: string;
}

/**
 * Reads the key lazily (the secret may be set after start-up) and builds a client with
 * maxRetries 0: every image retry is billed again, and the queue owns retry policy.
 */
export function connect(config: OpenAICommonConfig, deps: OpenAIDeps, timeoutMs: number, what: string): OpenAIConnection {
  const apiKey = deps.secrets.get(config.apiKeySecret);
  if (!apiKey) {
    throw new AdapterError(`${what}: no API key in secret '${config.apiKeySecret}'`, 'auth');
  }
  const client = new OpenAI({
    apiKey,
    baseURL: config.baseURL,
    organization: config.organization,
    project: config.project,
    maxRetries: 0,
    timeout: timeoutMs,
  });
  return { client, apiKey };
}

export interface ModelCheckOptions {
  /** Which listed models to mention when the configured one is missing, e.g. /^gpt-image/. */
  family: RegExp;
  what: string;
  now?: Date;
}

/**
 * Confirms the configured model is listed and not past its `shutdown_date`.
 * A model with an announced future shutdown passes but is logged, so ops can switch in time.
 */
export async function checkModel(
  conn: OpenAIConnection,
  model: string,
  options: ModelCheckOptions & { logger?: AdapterLogger; signal?: AbortSignal },
): Promise<void> {
  const listed: { id: string; shutdown_date?: string | null }[] = [];
  try {
    for await (const m of conn.client.models.list({ signal: options.signal })) listed.push(m);
  } catch (err) {
    throw classifyOpenAIError(err, `${options.what}: listing models`, conn.apiKey);
  }
  const found = listed.find((m) => m.id === model);
  const now = options.now ?? new Date();
  const usable = listed
    .filter((m) => options.family.test(m.id) && !isShutDown(m.shutdown_date, now))
    .map((m) => m.id)
    .sort();
  const suggestion = usable.length > 0 ? `available: ${usable.join(', ')}` : 'no matching models are listed';
  if (!found) {
    throw new AdapterError(`${options.what}: model '${model}' is not available to this key (${suggestion})`, 'bad_request');
  }
  if (isShutDown(found.shutdown_date, now)) {
    throw new AdapterError(`${options.what}: model '${model}' was shut down on ${found.shutdown_date} (${suggestion})`, 'bad_request');
  }
  if (found.shutdown_date) {
    options.logger?.warn({ model, shutdownDate: found.shutdown_date }, `${options.what}: model has an announced shutdown`);
  }
}

function isShutDown(date: string | null | undefined, now: Date): boolean {
  if (!date) return false;
  const at = Date.parse(date);
  return !Number.isNaN(at) && at <= now.getTime();
}

/**
 * A connection that follows the secret: re-read on every call, so a key fixed in settings takes
 * effect without a restart, and the SDK client is rebuilt only when the key changed.
 */
export function connectionFor(config: OpenAICommonConfig & { timeoutMs: number }, deps: OpenAIDeps, what: string): () => OpenAIConnection {
  let cached: OpenAIConnection | null = null;
  return () => {
    const apiKey = deps.secrets.get(config.apiKeySecret);
    if (cached && cached.apiKey === apiKey) return cached;
    cached = connect(config, deps, config.timeoutMs, what);
    return cached;
  };
}
