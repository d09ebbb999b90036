// What an image is expected to cost on a tier before anything is spent: the tier's first provider
// (the one expected to make it) plus the checks that will grade it, from the price table or each
// adapter's configured price. A forecast, shown on the card and in the ledger; the ledger's sums
// are always what the providers billed.
import { TIERS, type Tier } from '../../../shared/domain.ts';
import type { ImageProvider, ImageScorer } from '../adapters/types.ts';
import { IMAGE_HEIGHT, IMAGE_WIDTH } from './deps.ts';

export interface TierForecast {
  tier: Tier;
  /** One image with its checks; null when a provider's price is unknown. */
  perImageUsd: number | null;
  /** Which provider and checks the forecast assumes. */
  basis: string;
}

export function forecastTier(tier: Tier, chain: readonly ImageProvider[], scorers: readonly ImageScorer[]): TierForecast {
  const provider = chain[0];
  if (!provider) return { tier, perImageUsd: null, basis: 'no provider' };
  const image = provider.estimateCostUsd?.({ tier, width: IMAGE_WIDTH, height: IMAGE_HEIGHT }) ?? null;
  // synthetic images (title cards, default images) get only the cheap first check
  const checks = provider.synthetic ? scorers.slice(0, 1) : scorers;
  const checkCosts = checks.map((scorer) => scorer.estimateCostUsd?.() ?? null);
  const unknown = image === null || checkCosts.some((cost) => cost === null);
  const total = unknown ? null : Math.round((image + checkCosts.reduce<number>((sum, cost) => sum + (cost ?? 0), 0)) * 1e6) / 1e6;
  return { tier, perImageUsd: total, basis: [provider.name, ...checks.map((scorer) => scorer.name)].join(' + ') };
}

export function forecastTiers(chains: Record<Tier, readonly ImageProvider[]>, scorers: readonly ImageScorer[]): TierForecast[] {
  return TIERS.map((tier) => forecastTier(tier, chains[tier], scorers));
}
