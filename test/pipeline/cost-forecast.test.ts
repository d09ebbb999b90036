// The forecast before a call: the tier's first provider plus its checks, from the price table
// (OpenAI tokens by quality and size) or a configured price; unknown prices say so.
import { describe, expect, it } from 'vitest';
import { createOpenAIImageProvider, createOpenAIVisionScorer } from '../../electron/core/adapters/openai/index.ts';
import { createTitleCardProvider } from '../../electron/core/adapters/embedded/title-card-provider.ts';
import { createLocalScorer } from '../../electron/core/adapters/embedded/local-scorer.ts';
import { createReplicateProvider, ReplicateConfigSchema } from '../../electron/core/adapters/providers/replicate.ts';
import { forecastTier, forecastTiers } from '../../electron/core/pipeline/cost-forecast.ts';

const secrets = { get: () => 'sk-test-key-0000' };

describe('cost forecast', () => {
  it("prices an OpenAI image by its tier's quality and the vision check by tokens; title cards cost nothing", () => {
    const openai = createOpenAIImageProvider({ model: 'gpt-image-2' }, { secrets });
    const vision = createOpenAIVisionScorer({}, { secrets });
    const local = createLocalScorer({});
    const [breaking, regular, fallback] = forecastTiers({ breaking: [openai], regular: [openai], default: [createTitleCardProvider()] }, [
      local,
      vision,
    ]);
    // gpt-image-2 at 1792×1024: high ≈ 7,280 image tokens × $30/M ≈ $0.22; medium ≈ 1,848 × $30/M ≈ $0.056
    expect(breaking?.perImageUsd).toBeGreaterThan(0.2);
    expect(breaking?.perImageUsd).toBeLessThan(0.25);
    expect(regular?.perImageUsd).toBeGreaterThan(0.05);
    expect(regular?.perImageUsd).toBeLessThan(breaking!.perImageUsd!);
    expect(breaking?.basis).toBe('openai-images + local + openai-vision');
    expect(fallback).toMatchObject({ perImageUsd: 0, basis: 'title-card + local' });
  });

  it('says "unknown" rather than zero when a provider bills by GPU time', () => {
    const replicate = createReplicateProvider(ReplicateConfigSchema.parse({ model: 'black-forest-labs/flux-schnell' }), { secrets });
    expect(forecastTier('regular', [replicate], [createLocalScorer({})]).perImageUsd).toBeNull();
    const priced = createReplicateProvider(
      ReplicateConfigSchema.parse({ model: 'black-forest-labs/flux-schnell', costPerImageUsd: 0.003 }),
      { secrets },
    );
    expect(forecastTier('regular', [priced], [createLocalScorer({})]).perImageUsd).toBe(0.003);
  });
});
