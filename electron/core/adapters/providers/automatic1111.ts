// AUTOMATIC1111 / Forge web UI API (started with --api): POST /sdapi/v1/txt2img → {images:[base64], info:"<json>"}.
// The server serialises jobs behind one lock, so the queue should give it a concurrency of 1.
import { z } from 'zod';
import type { ImageProvider } from '../types.ts';
import { AdapterError } from '../types.ts';
import {
  basicAuthHeader,
  callSignal,
  decodeBase64Image,
  fetchOrThrow,
  httpError,
  parseJsonLiftingImage,
  readBytes,
  readText,
  requireSecret,
  trimBase,
  tryParseJson,
} from './http.ts';
import type { ProviderDeps } from './http.ts';

export const Automatic1111ConfigSchema = z.strictObject({
  name: z.string().min(1).default('automatic1111'),
  baseUrl: z.url().default('http://127.0.0.1:7860'),
  steps: z.number().int().positive().default(30),
  cfgScale: z.number().positive().default(7),
  sampler: z.string().min(1).default('DPM++ 2M'),
  scheduler: z.string().min(1).optional(),
  /** Checkpoint to switch to for this request (override_settings.sd_model_checkpoint). */
  checkpoint: z.string().min(1).optional(),
  /** Name of a secret holding "user:pass" when the server runs with --api-auth. */
  basicAuthSecret: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().default(300_000),
  /** Own GPU: electricity only, unless the newsroom says otherwise. */
  costPerImageUsd: z.number().min(0).default(0),
});
export type Automatic1111Config = z.infer<typeof Automatic1111ConfigSchema>;

const Txt2ImgResponseSchema = z.object({
  images: z.array(z.string()).min(1),
  info: z.string().optional(),
});

// A1111's exception middleware answers {error, detail, body, errors}; FastAPI's own 401 answers {detail}.
const ErrorBodySchema = z.object({ error: z.string().optional(), detail: z.unknown().optional(), errors: z.unknown().optional() });

export function createAutomatic1111Provider(config: Automatic1111Config, deps: ProviderDeps): ImageProvider {
  const provider = config.name;
  const base = trimBase(config.baseUrl);

  function headers(): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json' };
    if (config.basicAuthSecret) h.authorization = basicAuthHeader(requireSecret(deps.secrets, config.basicAuthSecret, provider));
    return h;
  }

  function failure(res: Response, text: string): AdapterError {
    const parsed = ErrorBodySchema.safeParse(tryParseJson(text));
    const detail = parsed.success
      ? [parsed.data.error, typeof parsed.data.detail === 'string' ? parsed.data.detail : JSON.stringify(parsed.data.detail ?? '')]
          .filter(Boolean)
          .join(': ')
      : text;
    return httpError(provider, res, detail || res.statusText);
  }

  return {
    name: provider,
    estimateCostUsd: () => config.costPerImageUsd,
    async generate(req) {
      const call = callSignal(req.signal, config.timeoutMs);
      const body = {
        prompt: req.prompt,
        negative_prompt: req.negativePrompt ?? '',
        seed: req.seed,
        width: req.width,
        height: req.height,
        steps: config.steps,
        cfg_scale: config.cfgScale,
        sampler_name: config.sampler,
        ...(config.scheduler ? { scheduler: config.scheduler } : {}),
        batch_size: 1,
        n_iter: 1,
        send_images: true,
        save_images: false,
        ...(config.checkpoint ? { override_settings: { sd_model_checkpoint: config.checkpoint } } : {}),
      };
      const res = await fetchOrThrow(
        provider,
        `${base}/sdapi/v1/txt2img`,
        { method: 'POST', headers: headers(), body: JSON.stringify(body) },
        call,
        req.signal,
      );
      const answer = await readBytes(provider, res, call, req.signal);
      if (!res.ok) throw failure(res, answer.toString('utf8'));
      const { json, image } = parseJsonLiftingImage(provider, answer, 'images');
      const parsed = Txt2ImgResponseSchema.safeParse(json);
      if (!parsed.success) throw new AdapterError(`${provider}: txt2img response has no images`, 'retryable');
      const { bytes, contentType } = decodeBase64Image(provider, image ?? parsed.data.images[0] ?? '');
      const info = readInfo(parsed.data.info);
      return {
        bytes,
        contentType,
        model: config.checkpoint ?? info.checkpoint ?? 'automatic1111',
        costUsd: config.costPerImageUsd,
        seed: info.seed ?? req.seed,
        c2pa: false,
        detail: `${config.sampler}, ${config.steps} steps, cfg ${config.cfgScale}`,
      };
    },
    async check(signal) {
      const call = callSignal(signal, 15_000);
      const res = await fetchOrThrow(provider, `${base}/sdapi/v1/sd-models`, { headers: headers() }, call, signal);
      const text = await readText(provider, res, call, signal);
      if (!res.ok) throw failure(res, text);
    },
  };
}

const InfoSchema = z.object({ seed: z.number().int().optional(), sd_model_name: z.string().nullable().optional() });

/** `info` is a JSON document inside a string; it carries the seed actually used. */
function readInfo(info: string | undefined): { seed: number | null; checkpoint: string | null } {
  const parsed = InfoSchema.safeParse(info ? tryParseJson(info) : null);
  if (!parsed.success) return { seed: null, checkpoint: null };
  return { seed: parsed.data.seed ?? null, checkpoint: parsed.data.sd_model_name ?? null };
}
