// OpenAI image generation (GPT image models) behind the ImageProvider seam.
// One call per generate(): the SDK's own retries are off (each retry is billed again); the queue retries.
import type OpenAI from 'openai';
import { z } from 'zod';
import type { Tier } from '../../../../shared/domain.ts';
import type { GenerateRequest, GeneratedImage, ImageProvider } from '../types.ts';
import { AdapterError } from '../types.ts';
import { checkModel, connectionFor, OpenAICommonConfigSchema } from './client.ts';
import type { OpenAIDeps } from './client.ts';
import { classifyOpenAIError } from './errors.ts';
import { chooseImageSize, DEFAULT_MAX_CUSTOM } from './image-sizes.ts';
import { estimateImageCostUsd, imageCostUsd, priceFor } from './prices.ts';

const QualitySchema = z.enum(['low', 'medium', 'high', 'xhigh', 'max', 'auto']);
const OutputFormatSchema = z.enum(['png', 'jpeg', 'webp']);

export const OpenAIImagesConfigSchema = OpenAICommonConfigSchema.extend({
  /** Not hard-coded: the line-up changes; check() verifies it against GET /v1/models. */
  model: z.string().min(1).default('gpt-image-2'),
  /** `xhigh` / `max` exist only for the 2.5 models. */
  quality: z
    .strictObject({
      breaking: QualitySchema.default('high'),
      regular: QualitySchema.default('medium'),
      default: QualitySchema.default('low'),
    })
    .default({ breaking: 'high', regular: 'medium', default: 'low' }),
  /** PNG keeps OpenAI's C2PA manifest intact for storage to pass on untouched. */
  outputFormat: OutputFormatSchema.default('png'),
  /** 0–100, jpeg/webp only. */
  outputCompression: z.number().int().min(0).max(100).nullable().default(null),
  moderation: z.enum(['auto', 'low']).default('auto'),
  /** Long: high quality at large sizes can take minutes. request.signal still cancels sooner. */
  timeoutMs: z.number().int().positive().default(180_000),
  /** null = decide from the model (gpt-image-2 / 2.5 accept arbitrary WxH). */
  customSizes: z.boolean().nullable().default(null),
  maxCustomSize: z.strictObject({ width: z.number().int().min(256), height: z.number().int().min(256) }).default(DEFAULT_MAX_CUSTOM),
});
export type OpenAIImagesConfig = z.infer<typeof OpenAIImagesConfigSchema>;
export type OpenAIImagesConfigInput = z.input<typeof OpenAIImagesConfigSchema>;

const CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export function createOpenAIImageProvider(configInput: OpenAIImagesConfigInput, deps: OpenAIDeps): ImageProvider {
  const config = OpenAIImagesConfigSchema.parse(configInput);
  const what = `OpenAI images (${config.model})`;
  const { price, known } = priceFor(config.model, config.prices);
  let warnedPrice = false;

  const connection = connectionFor(config, deps, what);

  async function generate(request: GenerateRequest): Promise<GeneratedImage> {
    const conn = connection();
    const size = chooseImageSize(config.model, request.width, request.height, {
      customSizes: config.customSizes ?? undefined,
      maxCustom: config.maxCustomSize,
    });
    const quality = qualityFor(request.tier, config);
    const body: OpenAI.Images.ImageGenerateParamsNonStreaming = {
      model: config.model,
      prompt: withNegative(request.prompt, request.negativePrompt),
      n: 1,
      size: size.size,
      quality,
      output_format: config.outputFormat,
      moderation: config.moderation,
      ...(config.outputCompression !== null && config.outputFormat !== 'png' ? { output_compression: config.outputCompression } : {}),
    };
    let response: OpenAI.Images.ImagesResponse;
    try {
      response = await conn.client.images.generate(body, { signal: request.signal, timeout: config.timeoutMs });
    } catch (err) {
      throw classifyOpenAIError(err, what, conn.apiKey);
    }
    const b64 = response.data?.[0]?.b64_json;
    const costUsd = imageCostUsd(response.usage, price);
    if (!b64) {
      throw new AdapterError(`${what}: response carried no image`, 'retryable', { costUsd });
    }
    if (!known && !warnedPrice) {
      warnedPrice = true;
      deps.logger?.warn({ model: config.model }, `${what}: no price for this model; costing at gpt-image-2 rates`);
    }
    const format = response.output_format ?? config.outputFormat;
    const usage = response.usage;
    return {
      bytes: Buffer.from(b64, 'base64'),
      contentType: CONTENT_TYPES[format] ?? 'application/octet-stream',
      model: config.model,
      costUsd,
      seed: null, // OpenAI takes no seed
      c2pa: true, // OpenAI signs API images with C2PA (product-anchors.md, OpenAI help 8912793)
      detail: [
        `${response.size ?? size.size} ${response.quality ?? quality}`,
        usage ? `${usage.input_tokens} in / ${usage.output_tokens} out tokens` : null,
      ]
        .filter(Boolean)
        .join(', '),
    };
  }

  return {
    name: 'openai-images',
    generate,
    estimateCostUsd(request) {
      const size = chooseImageSize(config.model, request.width, request.height, {
        customSizes: config.customSizes ?? undefined,
        maxCustom: config.maxCustomSize,
      });
      return estimateImageCostUsd(price, qualityFor(request.tier, config), size.width, size.height);
    },
    async check(signal?: AbortSignal): Promise<void> {
      await checkModel(connection(), config.model, { family: /^gpt-image/, what, logger: deps.logger, signal });
    },
  };
}

function qualityFor(tier: Tier, config: OpenAIImagesConfig): z.infer<typeof QualitySchema> {
  return config.quality[tier];
}

/** GPT image models take no negative prompt parameter, so the exclusions ride in the prompt. */
export function withNegative(prompt: string, negative: string | null): string {
  const trimmed = negative?.trim();
  return trimmed ? `${prompt.trim()}\n\nAvoid: ${trimmed}.` : prompt.trim();
}
