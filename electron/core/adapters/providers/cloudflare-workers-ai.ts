// Cloudflare Workers AI over REST: POST {base}/accounts/{account}/ai/run/{model}.
// Three input/output styles share one endpoint: SDXL takes JSON and answers raw PNG; FLUX.1 takes a
// minimal JSON body and answers {result:{image:base64}}; FLUX.2 takes multipart even for a prompt alone.
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import type { AdapterErrorKind, GenerateRequest, GeneratedImage, ImageProvider } from '../types.ts';
import {
  callSignal,
  decodeBase64Image,
  fetchOrThrow,
  httpError,
  kindForStatus,
  parseJson,
  readBytes,
  readText,
  requireImage,
  requireSecret,
  silentLogger,
  trimBase,
  truncate,
  tryParseJson,
} from './http.ts';
import type { ProviderDeps } from './http.ts';

export const WorkersAiConfigSchema = z.strictObject({
  name: z.string().min(1).default('workers-ai'),
  accountId: z.string().min(1),
  apiTokenSecret: z.string().min(1).default('cloudflare-workers-ai'),
  model: z.string().startsWith('@cf/').default('@cf/black-forest-labs/flux-1-schnell'),
  baseUrl: z.url().default('https://api.cloudflare.com/client/v4'),
  /** How to send the request; `auto` picks from the model id. */
  inputStyle: z.enum(['auto', 'flux-1', 'sdxl', 'multipart', 'json']).default('auto'),
  steps: z.number().int().positive().optional(),
  guidance: z.number().min(0).optional(),
  timeoutMs: z.number().int().positive().default(120_000),
  /** Overrides the price estimate below (e.g. for models without a published price). */
  costPerImageUsd: z.number().min(0).optional(),
});
export type WorkersAiConfig = z.infer<typeof WorkersAiConfigSchema>;

type InputStyle = Exclude<WorkersAiConfig['inputStyle'], 'auto'>;

export function inputStyleFor(model: string): InputStyle {
  if (model.includes('flux-2')) return 'multipart';
  if (model.includes('flux-1')) return 'flux-1';
  if (/stable-diffusion|sdxl|dreamshaper/.test(model)) return 'sdxl';
  return 'json';
}

// Workers AI error codes (developers.cloudflare.com/workers-ai/platform/errors) → what the queue should do.
const CODE_KINDS: Record<number, AdapterErrorKind> = {
  3036: 'quota', // daily free neuron allocation used up
  3040: 'retryable', // out of capacity
  3007: 'retryable', // timeout
  3006: 'bad_request', // request too large
  5007: 'bad_request', // no such model
  3042: 'bad_request', // invalid model id
  10000: 'auth', // Cloudflare API: authentication error
};

const EnvelopeSchema = z.object({
  success: z.boolean().optional(),
  errors: z.array(z.object({ code: z.number().optional(), message: z.string().optional() })).optional(),
  result: z.unknown().optional(),
});

const TILE = 512;
/** Published per-image price (reference §3), estimated from 512² output tiles and steps. */
export function estimateWorkersAiCost(model: string, width: number, height: number, steps: number | undefined): number | null {
  const tiles = Math.ceil(width / TILE) * Math.ceil(height / TILE);
  if (model.endsWith('/flux-1-schnell')) return 4 * 0.0000528 + (steps ?? 4) * 0.0001056; // fixed 1024² output
  if (model.endsWith('/flux-2-dev')) return tiles * (steps ?? 25) * 0.000825;
  if (model.endsWith('/lucid-origin')) return tiles * 0.007 + (steps ?? 20) * 0.000132;
  if (model.endsWith('/stable-diffusion-xl-lightning')) return 0;
  return null;
}

export function createWorkersAiProvider(config: WorkersAiConfig, deps: ProviderDeps): ImageProvider {
  const provider = config.name;
  const logger = deps.logger ?? silentLogger;
  const style = config.inputStyle === 'auto' ? inputStyleFor(config.model) : config.inputStyle;
  const accountUrl = `${trimBase(config.baseUrl)}/accounts/${encodeURIComponent(config.accountId)}`;

  function authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${requireSecret(deps.secrets, config.apiTokenSecret, provider)}` };
  }

  function buildBody(req: GenerateRequest): { body: string | FormData; headers: Record<string, string> } {
    const json = (value: object) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
    const clampSide = (n: number) => Math.min(2048, Math.max(256, Math.round(n)));
    switch (style) {
      case 'flux-1': // schema has additionalProperties:false: prompt and steps only
        return json({ prompt: req.prompt.slice(0, 2048), ...(config.steps ? { steps: Math.min(8, config.steps) } : {}) });
      case 'sdxl':
        return json({
          prompt: req.prompt,
          ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
          width: clampSide(req.width),
          height: clampSide(req.height),
          seed: req.seed,
          ...(config.steps ? { num_steps: Math.min(20, config.steps) } : {}),
          ...(config.guidance !== undefined ? { guidance: config.guidance } : {}),
        });
      case 'multipart': {
        const form = new FormData();
        form.set('prompt', req.prompt);
        form.set('width', String(req.width));
        form.set('height', String(req.height));
        form.set('seed', String(req.seed));
        if (config.steps) form.set('steps', String(config.steps));
        if (config.guidance !== undefined) form.set('guidance', String(config.guidance));
        return { body: form, headers: {} }; // fetch sets the multipart boundary itself
      }
      case 'json':
        return json({
          prompt: req.prompt,
          seed: req.seed,
          width: req.width,
          height: req.height,
          ...(config.steps ? { steps: config.steps } : {}),
          ...(config.guidance !== undefined ? { guidance: config.guidance } : {}),
        });
    }
  }

  function envelopeError(status: number, res: Response, text: string): AdapterError {
    const parsed = EnvelopeSchema.safeParse(tryParseJson(text));
    const first = parsed.success ? parsed.data.errors?.[0] : undefined;
    const message = first ? `${first.code ?? ''} ${first.message ?? ''}`.trim() : text;
    let kind = (first?.code !== undefined ? CODE_KINDS[first.code] : undefined) ?? kindForStatus(status);
    if (/nsfw|unsafe|safety/i.test(message)) kind = 'refused';
    return httpError(provider, res, message, kind);
  }

  return {
    name: provider,
    estimateCostUsd: (req) => config.costPerImageUsd ?? estimateWorkersAiCost(config.model, req.width, req.height, config.steps),
    async generate(req) {
      const call = callSignal(req.signal, config.timeoutMs);
      const { body, headers } = buildBody(req);
      const url = `${accountUrl}/ai/run/${config.model}`;
      const res = await fetchOrThrow(provider, url, { method: 'POST', headers: { ...authHeaders(), ...headers }, body }, call, req.signal);
      const contentType = res.headers.get('content-type') ?? '';
      if (res.ok && contentType.startsWith('image/')) {
        const bytes = await readBytes(provider, res, call, req.signal);
        return result(req, bytes, requireImage(provider, bytes));
      }
      const text = await readText(provider, res, call, req.signal);
      if (!res.ok) throw envelopeError(res.status, res, text);
      const envelope = EnvelopeSchema.safeParse(parseJson(provider, text));
      if (!envelope.success || envelope.data.success === false) throw envelopeError(502, res, text);
      const image = z.object({ image: z.string().min(1) }).safeParse(envelope.data.result);
      if (!image.success) throw new AdapterError(`${provider}: response has no result.image: ${truncate(text, 120)}`, 'retryable');
      const decoded = decodeBase64Image(provider, image.data.image);
      return result(req, decoded.bytes, decoded.contentType);
    },
    async check(signal) {
      const call = callSignal(signal, 15_000);
      const search = encodeURIComponent(config.model.split('/').pop() ?? config.model);
      const res = await fetchOrThrow(provider, `${accountUrl}/ai/models/search?search=${search}`, { headers: authHeaders() }, call, signal);
      const text = await readText(provider, res, call, signal);
      if (!res.ok) throw envelopeError(res.status, res, text);
      const list = z.object({ result: z.array(z.object({ name: z.string() })) }).safeParse(parseJson(provider, text));
      if (list.success && !list.data.result.some((m) => m.name === config.model)) {
        throw new AdapterError(`${provider}: model ${config.model} is not available to this account`, 'bad_request');
      }
    },
  };

  function result(req: GenerateRequest, bytes: Buffer, contentType: string): GeneratedImage {
    const estimate = estimateWorkersAiCost(config.model, req.width, req.height, config.steps);
    const costUsd = config.costPerImageUsd ?? estimate ?? 0;
    if (config.costPerImageUsd === undefined && estimate === null) {
      logger.debug({ provider, model: config.model }, 'no published price for this model; cost recorded as 0');
    }
    return {
      bytes,
      contentType,
      model: config.model,
      costUsd,
      seed: style === 'flux-1' ? null : req.seed,
      c2pa: false,
    };
  }
}
