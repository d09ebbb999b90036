// The scorer and prompt-writer seams: what checks an image, and what may rewrite a prompt.
import type { AdapterEntry } from '../../config/schema.ts';
import type { ImageScorer, PromptWriter } from '../types.ts';
import { createLocalScorer, LocalScorerConfigSchema } from '../embedded/local-scorer.ts';
import {
  createOpenAIPromptWriter,
  createOpenAIVisionScorer,
  OpenAIPromptWriterConfigSchema,
  OpenAIVisionConfigSchema,
} from '../openai/index.ts';
import { buildFromEntry, factory, type AdapterDeps } from './factory.ts';

export const SCORERS = {
  local: factory(LocalScorerConfigSchema, (options) => createLocalScorer(options)),
  'openai-vision': factory(OpenAIVisionConfigSchema, createOpenAIVisionScorer),
};

export const PROMPT_WRITERS = {
  openai: factory(OpenAIPromptWriterConfigSchema, createOpenAIPromptWriter),
};

export function buildScorer(entry: AdapterEntry, index: number, deps: AdapterDeps): ImageScorer {
  return buildFromEntry<ImageScorer, AdapterDeps>('scorer', SCORERS, entry, ['scorers', index], deps);
}

export function buildPromptWriter(entry: AdapterEntry | null, deps: AdapterDeps): PromptWriter | null {
  return entry ? buildFromEntry<PromptWriter, AdapterDeps>('prompt writer', PROMPT_WRITERS, entry, ['promptWriter'], deps) : null;
}
