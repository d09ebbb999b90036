// Vision quality gate: scores a generated image against the ARTICLE (headline + summary), not the
// prompt, so a faithful render of a bad prompt still scores low. Responses API + strict structured output.
import { zodTextFormat } from 'openai/helpers/zod';
import sharp from 'sharp';
import { z } from 'zod';
import type { ScoreFlag } from '../../../../shared/domain.ts';
import type { ImageScorer, ScoreRequest, ScoreResult } from '../types.ts';
import { AdapterError } from '../types.ts';
import { checkModel, connectionFor, OpenAICommonConfigSchema } from './client.ts';
import type { OpenAIDeps } from './client.ts';
import { classifyOpenAIError } from './errors.ts';
import { estimateVisionCostUsd, priceFor, textCostUsd } from './prices.ts';

export const OpenAIVisionConfigSchema = OpenAICommonConfigSchema.extend({
  /** A small, current vision model; gpt-4o-mini / 4.1-mini / 5-mini have announced shutdowns. */
  model: z.string().min(1).default('gpt-5.6-luna'),
  /** Downscale before upload: the score does not need full resolution and tokens cost money. */
  maxWidth: z.number().int().min(256).max(4096).default(1024),
  jpegQuality: z.number().int().min(40).max(100).default(80),
  detail: z.enum(['low', 'high', 'auto', 'original']).default('auto'),
  /** Only for reasoning models that accept it; null leaves the model's default. */
  reasoningEffort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).nullable().default(null),
  timeoutMs: z.number().int().positive().default(60_000),
});
export type OpenAIVisionConfig = z.infer<typeof OpenAIVisionConfigSchema>;
export type OpenAIVisionConfigInput = z.input<typeof OpenAIVisionConfigSchema>;

const MODEL_FLAGS = ['identifiable_person', 'legible_text', 'gore', 'photoreal_event'] as const;

/** What the model must return; strict JSON schema, so every key is required (nullable where optional). */
export const VisionVerdictSchema = z.object({
  score: z.number().int().min(1).max(10).describe('1 = unusable for this article, 10 = ideal hero image'),
  reason: z.string().describe('One or two sentences: why this score, naming what fits or does not fit the article'),
  flags: z.array(z.enum(MODEL_FLAGS)).describe('Every safety concern that applies; empty if none'),
  revised_prompt: z.string().nullable().describe('A better image-generation prompt for this article if the score is below 8, else null'),
  description: z.string().describe('One plain sentence describing what the image shows, for alt text'),
});
export type VisionVerdict = z.infer<typeof VisionVerdictSchema>;

const INSTRUCTIONS = `You are a newsroom photo editor checking an AI-generated hero image before an editor sees it.
Judge the image against the ARTICLE (headline and summary), not against any prompt.
Score 1-10: 9-10 clearly about this story and well composed; 6-8 relevant but generic or flawed;
3-5 loosely related or distracting; 1-2 unrelated, broken, or misleading.
Flags (include every one that applies):
- identifiable_person: a realistic face or figure that could be taken for a real, specific person.
- legible_text: readable words, letters, numbers, signage or logos anywhere in the image.
- gore: blood, injury, corpses or graphic violence.
- photoreal_event: looks like a real photograph of a news event that could mislead readers into thinking it happened as shown.
revised_prompt: when the score is below 8, write a concrete image prompt (subject, setting, composition, style)
that would fit the article better; no real people's likenesses, no text in the image. Otherwise null.
description: one neutral sentence saying what is in the image (alt text); do not say "AI" or "image of".`;

export function createOpenAIVisionScorer(configInput: OpenAIVisionConfigInput, deps: OpenAIDeps): ImageScorer {
  const config = OpenAIVisionConfigSchema.parse(configInput);
  const what = `OpenAI vision (${config.model})`;
  const { price } = priceFor(config.model, config.prices);
  const format = zodTextFormat(VisionVerdictSchema, 'hero_image_score');

  const connection = connectionFor(config, deps, what);

  async function score(request: ScoreRequest): Promise<ScoreResult> {
    const prepared = await prepareImage(request.image, config);
    if (!prepared) {
      // Undecodable bytes: no point paying a model to look at them.
      return brokenResult('image could not be decoded');
    }
    const conn = connection();
    const articleText = `Section: ${request.section}\nHeadline: ${request.headline}\nSummary: ${request.summary}`;
    let parsed: VisionVerdict | null;
    let costUsd: number;
    try {
      const response = await conn.client.responses.parse(
        {
          model: config.model,
          instructions: INSTRUCTIONS,
          input: [
            {
              role: 'user',
              content: [
                { type: 'input_text', text: articleText },
                { type: 'input_image', image_url: prepared.dataUrl, detail: config.detail },
              ],
            },
          ],
          text: { format },
          store: false,
          ...(config.reasoningEffort ? { reasoning: { effort: config.reasoningEffort } } : {}),
        },
        { signal: request.signal, timeout: config.timeoutMs },
      );
      costUsd = textCostUsd(response.usage, price);
      parsed = response.output_parsed;
      if (!parsed) {
        const refusal = findRefusal(response.output);
        if (refusal !== null) {
          throw new AdapterError(`${what}: model refused to score (${refusal.slice(0, 200)})`, 'refused', { costUsd });
        }
        const why = response.incomplete_details?.reason ?? response.status ?? 'no output';
        throw new AdapterError(`${what}: no structured verdict (${why})`, 'retryable', { costUsd });
      }
    } catch (err) {
      throw classifyOpenAIError(err, what, conn.apiKey);
    }
    const flags: ScoreFlag[] = [...new Set(parsed.flags)];
    return {
      score: Math.min(10, Math.max(1, Math.round(parsed.score))),
      reason: parsed.reason.trim(),
      flags,
      revisedPrompt: parsed.revised_prompt?.trim() || null,
      description: parsed.description.trim() || null,
      costUsd,
      width: prepared.width,
      height: prepared.height,
    };
  }

  return {
    name: 'openai-vision',
    estimateCostUsd: () => estimateVisionCostUsd(price),
    score,
    async check(signal?: AbortSignal): Promise<void> {
      await checkModel(connection(), config.model, { family: /^gpt-/, what, logger: deps.logger, signal });
    },
  };
}

interface PreparedImage {
  dataUrl: string;
  width: number;
  height: number;
}

/** Original dimensions plus a ≤maxWidth JPEG data URL; null when sharp cannot decode the bytes. */
async function prepareImage(image: Buffer, config: OpenAIVisionConfig): Promise<PreparedImage | null> {
  try {
    const meta = await sharp(image).metadata();
    if (!meta.width || !meta.height) return null;
    const jpeg = await sharp(image)
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({ width: config.maxWidth, withoutEnlargement: true })
      .jpeg({ quality: config.jpegQuality })
      .toBuffer();
    return { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

function brokenResult(reason: string): ScoreResult {
  return { score: 1, reason, flags: ['blank_or_broken'], revisedPrompt: null, description: null, costUsd: 0, width: 0, height: 0 };
}

function findRefusal(output: readonly { type: string; content?: unknown }[]): string | null {
  for (const item of output) {
    if (item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content as { type?: string; refusal?: string }[]) {
      if (part.type === 'refusal') return part.refusal ?? '';
    }
  }
  return null;
}
