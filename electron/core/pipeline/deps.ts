import type { Tier } from '../../../shared/domain.ts';
import type { ImageProvider, ImageScorer, ImageStorage, Publisher } from '../adapters/types.ts';
import type { TierConfig } from '../config/schema.ts';
import type { Logger } from '../base/log.ts';
import type { ActionDeps } from './article-actions.ts';
import type { PromptBuilder } from './prompting.ts';
import type { PromptWriter } from '../adapters/types.ts';

/** What the job handlers need; assembled once by the core from config and adapters. */
export interface PipelineDeps extends ActionDeps {
  tiers: Record<Tier, TierConfig>;
  chains: Record<Tier, ImageProvider[]>;
  scorers: ImageScorer[];
  storage: ImageStorage;
  publisher: Publisher;
  prompts: PromptBuilder;
  /** Optional LLM that turns an article into a visual brief before the prompt builder. */
  promptWriter: PromptWriter | null;
  autoApproveMinScore: number | null;
  breakingBudgetOverride: boolean;
  /** Perceptual hash for the near-duplicate check; null disables it. */
  perceptualHash: ((bytes: Buffer) => Promise<string>) | null;
  logger: Logger;
}

export const IMAGE_WIDTH = 1792;
export const IMAGE_HEIGHT = 1024;
