// POST /v1/images/generations for the fake: validates like the reference says GPT image models do
// and answers with a real PNG/JPEG/WebP of the requested size plus a `usage` block.
import type { ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { sendError, sendJson } from './fake-http.ts';
import type { FakeContext } from './fake-openai-server.ts';

const FIXED = new Set(['auto', '1024x1024', '1536x1024', '1024x1536']);
const QUALITIES = new Set(['low', 'medium', 'high', 'auto', 'xhigh', 'max']);
const FORMATS = new Set(['png', 'jpeg', 'webp']);
/** Rough output-token counts per 1024² by quality, only so cost maths has realistic inputs. */
const OUTPUT_TOKENS: Record<string, number> = { low: 272, medium: 1056, high: 4160, xhigh: 6240, max: 8320, auto: 1056 };

interface ImageBody {
  model?: string;
  prompt?: string;
  n?: number;
  size?: string;
  quality?: string;
  output_format?: string;
  response_format?: string;
  style?: string;
}

export async function handleImages(raw: unknown, ctx: FakeContext, res: ServerResponse): Promise<void> {
  const body = (raw ?? {}) as ImageBody;
  const invalid = (message: string, param: string | null = null): void =>
    sendError(res, 400, message, 'invalid_request_error', param ? 'invalid_value' : null, { param });
  if (!body.model) return invalid('You must provide a model parameter.', 'model');
  const model = ctx.models.find((m) => m.id === body.model);
  if (ctx.retired.has(body.model) || !model) {
    return sendError(
      res,
      404,
      `The model \`${body.model}\` has been deprecated or does not exist.`,
      'invalid_request_error',
      'model_not_found',
    );
  }
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return invalid('prompt is required.', 'prompt');
  if (body.prompt.length > 32_000) return invalid('prompt is too long (max 32000).', 'prompt');
  if (body.response_format !== undefined) return invalid("Unknown parameter: 'response_format'.", 'response_format');
  if (body.style !== undefined) return invalid("Unknown parameter: 'style'.", 'style');
  if (body.n !== undefined && (body.n < 1 || body.n > 10)) return invalid('n must be between 1 and 10.', 'n');
  const quality = body.quality ?? 'auto';
  if (!QUALITIES.has(quality)) return invalid(`Invalid quality '${quality}'.`, 'quality');
  if ((quality === 'xhigh' || quality === 'max') && !model.id.startsWith('gpt-image-2.5')) {
    return invalid(`Quality '${quality}' is not supported for ${model.id}.`, 'quality');
  }
  const format = body.output_format ?? 'png';
  if (!FORMATS.has(format)) return invalid(`Invalid output_format '${format}'.`, 'output_format');
  const size = body.size ?? 'auto';
  const dims = parseSize(size, model.customSizes === true);
  if (typeof dims === 'string') return invalid(dims, 'size');

  const image = await renderImage(body.prompt, dims.width, dims.height, format);
  const textTokens = Math.ceil(body.prompt.length / 4);
  const outputTokens = Math.round(((OUTPUT_TOKENS[quality] ?? 1056) * dims.width * dims.height) / (1024 * 1024));
  sendJson(res, 200, {
    created: Math.floor(Date.now() / 1000),
    data: [{ b64_json: image.toString('base64') }],
    background: 'opaque',
    output_format: format,
    quality: quality === 'auto' ? 'medium' : quality,
    size: `${dims.width}x${dims.height}`,
    usage: {
      input_tokens: textTokens,
      output_tokens: outputTokens,
      total_tokens: textTokens + outputTokens,
      input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
      output_tokens_details: { image_tokens: outputTokens, text_tokens: 0 },
    },
  });
}

function parseSize(size: string, custom: boolean): { width: number; height: number } | string {
  if (size === 'auto') return { width: 1024, height: 1024 };
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return `Invalid size '${size}'.`;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (!custom) {
    return FIXED.has(size) ? { width, height } : `Invalid size '${size}'. Supported sizes are 1024x1024, 1024x1536, 1536x1024, and auto.`;
  }
  if (width % 16 !== 0 || height % 16 !== 0) return `Invalid size '${size}': both sides must be divisible by 16.`;
  if (width / height > 3 || height / width > 3) return `Invalid size '${size}': aspect ratio must be between 1:3 and 3:1.`;
  if (Math.max(width, height) > 3840 || Math.min(width, height) > 2160) return `Invalid size '${size}': maximum is 3840x2160.`;
  return { width, height };
}

/** A plain image whose colour depends on the prompt, so different prompts give different bytes. */
async function renderImage(prompt: string, width: number, height: number, format: string): Promise<Buffer> {
  const digest = createHash('sha256').update(prompt).digest();
  const background = { r: digest[0] ?? 0, g: digest[1] ?? 0, b: digest[2] ?? 0 };
  const img = sharp({ create: { width, height, channels: 3, background } });
  if (format === 'jpeg') return img.jpeg().toBuffer();
  if (format === 'webp') return img.webp().toBuffer();
  return img.png().toBuffer();
}
