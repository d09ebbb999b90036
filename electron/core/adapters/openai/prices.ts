// USD per 1M tokens, from /work/shared/reference/image-providers.md §1.5 and §2.3.
// Cost is always computed from the response's `usage`, never estimated from size/quality.
import { z } from 'zod';

export const TokenPriceSchema = z.strictObject({
  /** text (prompt) input */
  textInput: z.number().nonnegative(),
  /** cached text input; defaults to textInput when unknown */
  cachedInput: z.number().nonnegative().optional(),
  /** image input (vision, or reference images for edits) */
  imageInput: z.number().nonnegative().optional(),
  /** image output tokens (image models) */
  imageOutput: z.number().nonnegative().optional(),
  /** text output tokens (reasoning + answer) */
  textOutput: z.number().nonnegative(),
});
export type TokenPrice = z.infer<typeof TokenPriceSchema>;

export const PriceTableSchema = z.record(z.string(), TokenPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

// GPT image 2.x family: text in $5, image in $8, image out $30, text out $10 (fal lists the latter for gpt-image-2).
const GPT_IMAGE_2 = { textInput: 5, imageInput: 8, imageOutput: 30, textOutput: 10 };

export const DEFAULT_PRICES: PriceTable = {
  'gpt-image-2': GPT_IMAGE_2,
  'gpt-image-2.5-sunburst': GPT_IMAGE_2,
  'gpt-image-2.5-flare': GPT_IMAGE_2,
  'gpt-image-2.6-sunburst': GPT_IMAGE_2,
  'gpt-image-2.6-flare': GPT_IMAGE_2,
  'gpt-image-1-mini': { textInput: 2, imageInput: 2.5, imageOutput: 8, textOutput: 8 },
  'gpt-6-luna': { textInput: 0.1, cachedInput: 0.01, textOutput: 0.5 },
  'gpt-5.6-luna': { textInput: 0.2, cachedInput: 0.02, textOutput: 1.2 },
  'gpt-5.6-terra': { textInput: 2, cachedInput: 0.2, textOutput: 12 },
  'gpt-5.4-mini': { textInput: 0.75, textOutput: 4.5 },
  'gpt-5.4-nano': { textInput: 0.2, textOutput: 1.25 },
};

/** Unknown model: price as the dearest known image model rather than silently as free. */
const FALLBACK_PRICE: TokenPrice = GPT_IMAGE_2;

/** Strips a dated snapshot suffix: "gpt-image-2.5-flare-2026-09-08" → "gpt-image-2.5-flare". */
export function baseModelId(model: string): string {
  return model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

export function priceFor(model: string, overrides?: PriceTable): { price: TokenPrice; known: boolean } {
  const table = { ...DEFAULT_PRICES, ...overrides };
  const price = table[model] ?? table[baseModelId(model)];
  return price ? { price, known: true } : { price: FALLBACK_PRICE, known: false };
}

/** Shape of `ImagesResponse.usage`. */
export interface ImageUsage {
  input_tokens: number;
  output_tokens: number;
  input_tokens_details?: { text_tokens?: number; image_tokens?: number } | null;
  output_tokens_details?: { text_tokens?: number; image_tokens?: number } | null;
}

export function imageCostUsd(usage: ImageUsage | null | undefined, price: TokenPrice): number {
  if (!usage) return 0;
  const inImage = usage.input_tokens_details?.image_tokens ?? 0;
  const inText = usage.input_tokens_details?.text_tokens ?? Math.max(0, usage.input_tokens - inImage);
  const outText = usage.output_tokens_details?.text_tokens ?? 0;
  const outImage = usage.output_tokens_details?.image_tokens ?? Math.max(0, usage.output_tokens - outText);
  const imageOut = price.imageOutput ?? price.textOutput;
  const imageIn = price.imageInput ?? price.textInput;
  return perMillion(inText * price.textInput + inImage * imageIn + outImage * imageOut + outText * price.textOutput);
}

/** Shape of the Responses API `usage` (image input is billed as input tokens there). */
export interface TextUsage {
  input_tokens: number;
  output_tokens: number;
  input_tokens_details?: { cached_tokens?: number } | null;
}

export function textCostUsd(usage: TextUsage | null | undefined, price: TokenPrice): number {
  if (!usage) return 0;
  const cached = Math.min(usage.input_tokens, usage.input_tokens_details?.cached_tokens ?? 0);
  const fresh = usage.input_tokens - cached;
  const cachedPrice = price.cachedInput ?? price.textInput;
  return perMillion(fresh * price.textInput + cached * cachedPrice + usage.output_tokens * price.textOutput);
}

function perMillion(tokensTimesPricePerMillion: number): number {
  // Round to 1/1,000,000 of a dollar so sums stay readable.
  return Math.round(tokensTimesPricePerMillion) / 1_000_000;
}

/**
 * Image output tokens per 1024×1024 image by quality, as OpenAI documents them for GPT image
 * models (low 272, medium 1056, high 4160); the larger 2.5 qualities are taken as 1.5× and 2×
 * high until OpenAI says otherwise. Used only to forecast: the ledger always records `usage`.
 */
const OUTPUT_TOKENS_PER_MEGAPIXEL: Record<string, number> = { low: 272, medium: 1056, high: 4160, xhigh: 6240, max: 8320, auto: 1056 };

/** Forecast of one image's cost before the call, from the price table. */
export function estimateImageCostUsd(price: TokenPrice, quality: string, width: number, height: number, promptTokens = 200): number {
  const outTokens = ((OUTPUT_TOKENS_PER_MEGAPIXEL[quality] ?? 1056) * width * height) / (1024 * 1024);
  const imageOut = price.imageOutput ?? price.textOutput;
  return perMillion(promptTokens * price.textInput + outTokens * imageOut);
}

/** Forecast of one vision check: the image (about 1,100 tokens at this size) plus the prompt in, a short verdict out. */
export function estimateVisionCostUsd(price: TokenPrice, inputTokens = 1_700, outputTokens = 350): number {
  return perMillion(inputTokens * price.textInput + outputTokens * price.textOutput);
}
