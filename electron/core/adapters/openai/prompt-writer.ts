// Optional LLM step before generation: turns an article into a concrete visual brief
// (what to show), which the prompt builder then wraps in house style and story policy.
import type OpenAI from 'openai';
import { z } from 'zod';
import { AdapterError, type PromptWriter, type PromptWriterArticle } from '../types.ts';
import { checkModel, connectionFor, OpenAICommonConfigSchema } from './client.ts';
import type { OpenAIDeps } from './client.ts';
import { classifyOpenAIError } from './errors.ts';
import { priceFor, textCostUsd } from './prices.ts';

export const OpenAIPromptWriterConfigSchema = OpenAICommonConfigSchema.extend({
  model: z.string().min(1).default('gpt-5.6-luna'),
  /** Briefs longer than this are cut at a sentence boundary; image prompts do not need essays. */
  maxChars: z.number().int().min(100).max(4000).default(800),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Extra newsroom guidance appended to the built-in instructions. */
  extraInstructions: z.string().default(''),
});
export type OpenAIPromptWriterConfig = z.infer<typeof OpenAIPromptWriterConfigSchema>;
export type OpenAIPromptWriterConfigInput = z.input<typeof OpenAIPromptWriterConfigSchema>;

const INSTRUCTIONS = `You write briefs for an image generator that makes hero images for news articles.
Given an article and a house style, reply with ONE paragraph (at most 80 words) describing a single image:
the concrete subject, setting, composition and mood that would make a reader understand the story at a glance.
Rules: show a symbolic or general scene, never a likeness of a real, named person; no words, letters, logos or
signage in the image; do not depict a specific real event as if photographed; no gore.
Reply with the brief only, no preamble, no quotes.`;

export function createOpenAIPromptWriter(configInput: OpenAIPromptWriterConfigInput, deps: OpenAIDeps): PromptWriter {
  const config = OpenAIPromptWriterConfigSchema.parse(configInput);
  const what = `OpenAI prompt writer (${config.model})`;
  const { price } = priceFor(config.model, config.prices);

  const connection = connectionFor(config, deps, what);

  async function write(article: PromptWriterArticle, style: string, signal?: AbortSignal) {
    const conn = connection();
    const input = [
      `Section: ${article.section}`,
      article.storyType ? `Story type: ${article.storyType}` : null,
      `Headline: ${article.headline}`,
      `Summary: ${article.summary}`,
      `House style: ${style}`,
    ]
      .filter(Boolean)
      .join('\n');
    let response: OpenAI.Responses.Response;
    try {
      response = await conn.client.responses.create(
        {
          model: config.model,
          instructions: config.extraInstructions ? `${INSTRUCTIONS}\n${config.extraInstructions}` : INSTRUCTIONS,
          input,
          store: false,
        },
        { signal, timeout: config.timeoutMs },
      );
    } catch (err) {
      throw classifyOpenAIError(err, what, conn.apiKey);
    }
    const costUsd = textCostUsd(response.usage, price);
    const prompt = clip(response.output_text.trim().replace(/^["']|["']$/g, ''), config.maxChars);
    if (!prompt) {
      throw new AdapterError(`${what}: empty brief (${response.status ?? 'no status'})`, 'retryable', { costUsd });
    }
    return { prompt, costUsd };
  }

  return {
    name: 'openai-prompt-writer',
    write,
    async check(signal?: AbortSignal): Promise<void> {
      await checkModel(connection(), config.model, { family: /^gpt-/, what, logger: deps.logger, signal });
    },
  };
}

/** Cuts at the last sentence end before `max`, else at a word boundary. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'));
  if (sentenceEnd > max / 2) return head.slice(0, sentenceEnd + 1);
  const space = head.lastIndexOf(' ');
  return (space > 0 ? head.slice(0, space) : head).trimEnd();
}
