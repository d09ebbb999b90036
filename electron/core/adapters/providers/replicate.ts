// Replicate predictions: create (official-model route, or version route for pinned community models)
// with `Prefer: wait`, poll GET /predictions/{id} if it is still running, then download the output URL.
// Abandoned predictions are cancelled so they stop billing GPU time.
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import type { AdapterErrorKind, GenerateRequest, ImageProvider } from '../types.ts';
import {
  callSignal,
  decodeBase64Image,
  fetchOrThrow,
  httpError,
  parseJson,
  readBytes,
  readText,
  requireImage,
  requireSecret,
  silentLogger,
  toAdapterError,
  trimBase,
  truncate,
  tryParseJson,
} from './http.ts';
import type { CallSignal, ProviderDeps } from './http.ts';
import { errorMessage } from '../../base/failures.ts';

export const ReplicateConfigSchema = z.strictObject({
  name: z.string().min(1).default('replicate'),
  /** "owner/name" (official model) or "owner/name:<version>" (pinned community model). */
  model: z.string().regex(/^[\w.-]+\/[\w.-]+(:[0-9a-f]+)?$/, 'expected owner/name or owner/name:version'),
  apiTokenSecret: z.string().min(1).default('replicate'),
  baseUrl: z.url().default('https://api.replicate.com/v1'),
  /** How the model takes its size; `auto`: aspect_ratio for FLUX, width/height otherwise. */
  sizeInput: z.enum(['auto', 'dimensions', 'aspect_ratio', 'none']).default('auto'),
  /** Whether the model has a negative_prompt input; default: not for FLUX. */
  sendNegativePrompt: z.boolean().optional(),
  /** Model-specific inputs merged into every request (e.g. {"output_format":"png"}). */
  extraInput: z.record(z.string(), z.unknown()).default({}),
  waitSeconds: z.number().int().min(1).max(60).default(60),
  pollIntervalMs: z.number().int().positive().default(1_000),
  timeoutMs: z.number().int().positive().default(300_000),
  /** Price per image; otherwise the published price, otherwise predict_time × hardware price. */
  costPerImageUsd: z.number().min(0).optional(),
  hardwarePricePerSecondUsd: z.number().min(0).optional(),
});
export type ReplicateConfig = z.infer<typeof ReplicateConfigSchema>;

/** replicate.com/pricing as transcribed 2026-10-07 (reference §5). */
const PUBLISHED_PRICE_USD: Record<string, number> = {
  'black-forest-labs/flux-schnell': 0.003,
  'black-forest-labs/flux-dev': 0.025,
  'black-forest-labs/flux-1.1-pro': 0.04,
};

const ASPECT_RATIOS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'];
export function nearestAspectRatio(width: number, height: number): string {
  const target = Math.log(width / height);
  const distance = (r: string) => {
    const [w, h] = r.split(':').map(Number);
    return Math.abs(Math.log((w ?? 1) / (h ?? 1)) - target);
  };
  return ASPECT_RATIOS.reduce((best, r) => (distance(r) < distance(best) ? r : best));
}

const PredictionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  metrics: z.looseObject({ predict_time: z.number().optional() }).nullish(),
});
type Prediction = z.infer<typeof PredictionSchema>;
const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export function createReplicateProvider(config: ReplicateConfig, deps: ProviderDeps): ImageProvider {
  const provider = config.name;
  const logger = deps.logger ?? silentLogger;
  const base = trimBase(config.baseUrl);
  const [modelName = config.model, version] = config.model.split(':');
  const isFlux = modelName.startsWith('black-forest-labs/');
  const sizeInput = config.sizeInput === 'auto' ? (isFlux ? 'aspect_ratio' : 'dimensions') : config.sizeInput;
  const sendNegative = config.sendNegativePrompt ?? !isFlux;

  const auth = () => ({ authorization: `Bearer ${requireSecret(deps.secrets, config.apiTokenSecret, provider)}` });

  function input(req: GenerateRequest): Record<string, unknown> {
    return {
      prompt: req.prompt,
      seed: req.seed,
      ...(sendNegative && req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
      ...(sizeInput === 'dimensions' ? { width: req.width, height: req.height } : {}),
      ...(sizeInput === 'aspect_ratio' ? { aspect_ratio: nearestAspectRatio(req.width, req.height) } : {}),
      ...config.extraInput,
    };
  }

  /** Replicate errors are {title, detail, status}; 402 is out of credit, 422 a bad input. */
  function failure(res: Response, text: string): AdapterError {
    const body = z.looseObject({ detail: z.unknown(), title: z.unknown() }).safeParse(tryParseJson(text));
    const said = body.success ? (body.data.detail ?? body.data.title) : undefined;
    const detail = typeof said === 'string' ? said : said === undefined || said === null ? text : JSON.stringify(said);
    return httpError(provider, res, detail);
  }

  async function request(url: string, init: RequestInit, call: CallSignal, callerSignal?: AbortSignal): Promise<Prediction> {
    const res = await fetchOrThrow(provider, url, { ...init, headers: { ...auth(), ...init.headers } }, call, callerSignal);
    const text = await readText(provider, res, call, callerSignal);
    if (!res.ok) throw failure(res, text);
    const parsed = PredictionSchema.safeParse(parseJson(provider, text));
    if (!parsed.success) throw new AdapterError(`${provider}: unexpected prediction shape: ${truncate(text, 120)}`, 'retryable');
    return parsed.data;
  }

  /** Like the official client: a GET that hits 429/5xx is retried, honouring Retry-After. */
  function poll(id: string, call: CallSignal, callerSignal: AbortSignal): Promise<Prediction> {
    return pRetry(() => request(`${base}/predictions/${encodeURIComponent(id)}`, {}, call, callerSignal), {
      retries: 5,
      signal: call.signal,
      minTimeout: config.pollIntervalMs,
      shouldRetry: async ({ error }) => {
        if (!(error instanceof AdapterError) || error.kind !== 'retryable') return false;
        if (error.retryAfterMs) await sleep(error.retryAfterMs, undefined, { signal: call.signal });
        return true;
      },
    });
  }

  async function cancel(id: string): Promise<void> {
    try {
      const call = callSignal(undefined, 5_000);
      await request(`${base}/predictions/${encodeURIComponent(id)}/cancel`, { method: 'POST' }, call);
    } catch (error) {
      logger.warn({ provider, predictionId: id, err: errorMessage(error) }, 'could not cancel Replicate prediction');
    }
  }

  function costOf(prediction: Prediction): number {
    const byTime = (prediction.metrics?.predict_time ?? 0) * (config.hardwarePricePerSecondUsd ?? 0);
    return config.costPerImageUsd ?? PUBLISHED_PRICE_USD[modelName] ?? byTime;
  }

  function failedError(prediction: Prediction): AdapterError {
    const message = typeof prediction.error === 'string' ? prediction.error : `prediction ${prediction.status}`;
    let kind: AdapterErrorKind = 'retryable'; // GPU hiccups, cancellations by someone else
    if (/nsfw|safety|sensitive|flagged/i.test(message)) kind = 'refused';
    else if (/invalid|validation|must be|not a valid|out of range/i.test(message)) kind = 'bad_request';
    // Time-billed models charge for failed runs too.
    const costUsd = (prediction.metrics?.predict_time ?? 0) * (config.hardwarePricePerSecondUsd ?? 0);
    return new AdapterError(`${provider}: ${truncate(message)}`, kind, { costUsd });
  }

  async function download(url: string, call: CallSignal, callerSignal: AbortSignal): Promise<{ bytes: Buffer; contentType: string }> {
    if (url.startsWith('data:')) return decodeBase64Image(provider, url);
    // The token only goes back to Replicate's own API host, never to the file CDN.
    const headers = new URL(url).origin === new URL(base).origin ? auth() : undefined;
    const res = await fetchOrThrow(provider, url, { headers }, call, callerSignal);
    if (!res.ok) throw httpError(provider, res, `downloading output: ${await readText(provider, res, call, callerSignal)}`, 'retryable');
    const bytes = await readBytes(provider, res, call, callerSignal);
    return { bytes, contentType: requireImage(provider, bytes) };
  }

  return {
    name: provider,
    // billed by GPU time, unknown until it ran: only a configured flat price forecasts
    estimateCostUsd: () => config.costPerImageUsd ?? null,
    async generate(req) {
      const call = callSignal(req.signal, config.timeoutMs);
      const url = version ? `${base}/predictions` : `${base}/models/${modelName}/predictions`;
      const body = version ? { version, input: input(req) } : { input: input(req) };
      let prediction = await request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', prefer: `wait=${config.waitSeconds}` },
          body: JSON.stringify(body),
        },
        call,
        req.signal,
      );
      const id = prediction.id;
      try {
        while (!TERMINAL.has(prediction.status)) {
          await sleep(config.pollIntervalMs, undefined, { signal: call.signal });
          prediction = await poll(id, call, req.signal);
        }
      } catch (error) {
        if (call.signal.aborted) await cancel(id);
        throw toAdapterError(provider, error, call, req.signal);
      }
      if (prediction.status !== 'succeeded') throw failedError(prediction);
      const output: unknown = Array.isArray(prediction.output) ? prediction.output[0] : prediction.output;
      if (typeof output !== 'string') throw new AdapterError(`${provider}: prediction ${id} has no output URL`, 'retryable');
      const { bytes, contentType } = await download(output, call, req.signal);
      const predictTime = prediction.metrics?.predict_time;
      return {
        bytes,
        contentType,
        model: config.model,
        costUsd: costOf(prediction),
        seed: req.seed,
        c2pa: false,
        ...(predictTime !== undefined ? { detail: `predict ${predictTime.toFixed(1)} s` } : {}),
      };
    },
    async check(signal) {
      const call = callSignal(signal, 15_000);
      const res = await fetchOrThrow(provider, `${base}/models/${modelName}`, { headers: auth() }, call, signal);
      const text = await readText(provider, res, call, signal);
      if (!res.ok) throw failure(res, text);
    },
  };
}
