// The image-provider seam: every provider type a config may name, and how a named entry becomes a
// provider (its own options, then the per-provider limits every entry may carry).
import { ConfigError } from '../../config/errors.ts';
import { parseStrict } from '../../config/issues.ts';
import type { AdapterEntry } from '../../config/schema.ts';
import type { ImageProvider } from '../types.ts';
import { ProviderLimitsSchema, withLimits } from '../limits.ts';
import { createDefaultImageProvider, DefaultImageConfigSchema } from '../default-images/default-image-provider.ts';
import { Automatic1111ConfigSchema, createAutomatic1111Provider } from '../providers/automatic1111.ts';
import { createWorkersAiProvider, WorkersAiConfigSchema } from '../providers/cloudflare-workers-ai.ts';
import { ComfyUiConfigSchema, createComfyUiProvider } from '../providers/comfyui.ts';
import { createReplicateProvider, ReplicateConfigSchema } from '../providers/replicate.ts';
import { createTitleCardProvider, TitleCardProviderConfigSchema } from '../embedded/title-card-provider.ts';
import { createOpenAIImageProvider, OpenAIImagesConfigSchema } from '../openai/index.ts';
import { buildFromEntry, factory, type AdapterDeps } from './factory.ts';

/** In this order in the "known:" list of an unknown type's message. */
export const PROVIDERS = {
  'workers-ai': factory(WorkersAiConfigSchema, createWorkersAiProvider),
  automatic1111: factory(Automatic1111ConfigSchema, createAutomatic1111Provider),
  comfyui: factory(ComfyUiConfigSchema, createComfyUiProvider),
  replicate: factory(ReplicateConfigSchema, createReplicateProvider),
  'default-image': factory(DefaultImageConfigSchema, (options, deps) =>
    createDefaultImageProvider(options, deps.defaultImagesDir ? { builtinDir: deps.defaultImagesDir } : {}),
  ),
  'title-card': factory(TitleCardProviderConfigSchema, (options) => createTitleCardProvider(options)),
  openai: factory(OpenAIImagesConfigSchema, createOpenAIImageProvider),
};

/** Names every tier may use without declaring them. */
export const BUILTIN_PROVIDERS: Record<string, AdapterEntry> = {
  'title-card': { type: 'title-card' },
  'default-image': { type: 'default-image' },
};

/** Options a provider entry carries besides its type's own: the per-provider limits (limits.ts). */
export const PROVIDER_LIMIT_KEYS = Object.keys(ProviderLimitsSchema.shape);

export function buildProvider(name: string, entry: AdapterEntry, deps: AdapterDeps): ImageProvider {
  const { concurrency, ratePerMinute, ...rest } = entry;
  const limits = parseStrict(ProviderLimitsSchema, { concurrency, ratePerMinute }, ['providers', name]);
  if (!limits.success) throw new ConfigError(`providers.${name} limits are invalid:\n${limits.lines.join('\n')}`);
  const provider = buildFromEntry<ImageProvider, AdapterDeps>('provider', PROVIDERS, rest, ['providers', name], deps, PROVIDER_LIMIT_KEYS);
  // the config's name is what cards and the ledger show
  const named: ImageProvider = {
    name,
    synthetic: provider.synthetic,
    generate: (request) => provider.generate(request),
    check: provider.check?.bind(provider),
    estimateCostUsd: provider.estimateCostUsd?.bind(provider),
  };
  return withLimits(named, limits.data, deps.providerLimiter);
}
