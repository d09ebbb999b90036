// Builds adapters from config entries (`{ "type": "...", ...options }`). Each type names a
// factory and the zod schema its options must pass; a bad entry is a ConfigError naming the
// config path. Adding an integration = one line here plus its module.
import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';
import { didYouMean, formatPath, parseStrict, type ConfigPath } from '../config/issues.ts';
import type { AdapterEntry } from '../config/schema.ts';
import { AitableConfigSchema } from './aitable/config.ts';
import { DemoSourceConfigSchema } from './embedded/demo-source.ts';
import type { Logger } from '../base/log.ts';
import type { ImageProvider, ImageScorer, ImageStorage, PromptWriter, Publisher, SecretStore } from './types.ts';
import { PROVIDER_FACTORIES } from './providers/index.ts';
import { createR2Storage, R2ConfigSchema } from './r2/r2-storage.ts';
import { CentrifugoConfigSchema, createCentrifugoPublisher } from './publishers/centrifugo.ts';
import { createWebhookPublisher, WebhookConfigSchema } from './publishers/webhook.ts';
import { createRelayPublisher, RelayPublisherConfigSchema } from './publishers/relay.ts';
import { ProviderLimitsSchema, withLimits } from './limits.ts';
import { createLocalScorer, LocalScorerConfigSchema } from './embedded/local-scorer.ts';
import { createTitleCardProvider, TitleCardProviderConfigSchema } from './embedded/title-card-provider.ts';
import {
  createOpenAIImageProvider,
  createOpenAIPromptWriter,
  createOpenAIVisionScorer,
  OpenAIImagesConfigSchema,
  OpenAIPromptWriterConfigSchema,
  OpenAIVisionConfigSchema,
} from './openai/index.ts';

export interface AdapterDeps {
  secrets: SecretStore;
  /** Collects the secret names the configured adapters use (for the board's key settings). */
  secretNames?: Set<string>;
  logger: Logger;
}

interface Factory<T> {
  schema: z.ZodType;
  create(options: never, deps: AdapterDeps): T;
}

const PROVIDERS: Record<string, Factory<ImageProvider>> = {
  ...(PROVIDER_FACTORIES as Record<string, Factory<ImageProvider>>),
  'title-card': { schema: TitleCardProviderConfigSchema, create: (options) => createTitleCardProvider(options) },
  openai: { schema: OpenAIImagesConfigSchema, create: (options, deps) => createOpenAIImageProvider(options, deps) },
};

const SCORERS: Record<string, Factory<ImageScorer>> = {
  local: { schema: LocalScorerConfigSchema, create: (options) => createLocalScorer(options) },
  'openai-vision': { schema: OpenAIVisionConfigSchema, create: (options, deps) => createOpenAIVisionScorer(options, deps) },
};

/** Storage other than the embedded disk store (which the core starts with its media server). */
const STORAGES: Record<string, Factory<ImageStorage>> = {
  r2: { schema: R2ConfigSchema, create: (options, deps) => createR2Storage(options, deps) },
};

/** Publishers other than the bundled relay (which the core starts itself). */
const PUBLISHERS: Record<string, Factory<Publisher>> = {
  /** a relay elsewhere, e.g. `hero-desk relay` on the site's server */
  'external-relay': { schema: RelayPublisherConfigSchema, create: (options, deps) => createRelayPublisher(options, deps) },
  centrifugo: { schema: CentrifugoConfigSchema, create: (options, deps) => createCentrifugoPublisher(options, deps) },
  webhook: { schema: WebhookConfigSchema, create: (options, deps) => createWebhookPublisher(options, deps) },
};

export function buildStorage(entry: AdapterEntry, deps: AdapterDeps): ImageStorage {
  return buildFromEntry('storage', STORAGES, entry, ['storage'], deps);
}

export function buildPublisher(entry: AdapterEntry, deps: AdapterDeps): Publisher {
  return buildFromEntry('publisher', PUBLISHERS, entry, ['publisher'], deps);
}

const PROMPT_WRITERS: Record<string, Factory<PromptWriter>> = {
  openai: { schema: OpenAIPromptWriterConfigSchema, create: (options, deps) => createOpenAIPromptWriter(options, deps) },
};

export function buildPromptWriter(entry: AdapterEntry | null, deps: AdapterDeps): PromptWriter | null {
  return entry ? buildFromEntry('prompt writer', PROMPT_WRITERS, entry, ['promptWriter'], deps) : null;
}

/** Options a provider entry carries besides its type's own: the per-provider limits (limits.ts). */
export const PROVIDER_LIMIT_KEYS = Object.keys(ProviderLimitsSchema.shape);

/** The core builds these itself (app/adapters.ts), so they have no factory; they take no options. */
const NO_OPTIONS = z.strictObject({});
const schemasOf = (table: Record<string, Factory<unknown>>) =>
  Object.fromEntries(Object.entries(table).map(([type, f]) => [type, f.schema]));

/** Every entry kind's option schemas by type: settings/config-check.ts checks a whole file against them at once. */
export const ENTRY_SCHEMAS = {
  provider: schemasOf(PROVIDERS),
  scorer: schemasOf(SCORERS),
  source: { demo: DemoSourceConfigSchema, aitable: AitableConfigSchema },
  storage: { disk: NO_OPTIONS, ...schemasOf(STORAGES) },
  publisher: { relay: NO_OPTIONS, ...schemasOf(PUBLISHERS) },
  'prompt writer': schemasOf(PROMPT_WRITERS),
} satisfies Record<string, Record<string, z.ZodType>>;

/** Names every tier may use without declaring them. */
export const BUILTIN_PROVIDERS: Record<string, AdapterEntry> = {
  'title-card': { type: 'title-card' },
  'default-image': { type: 'default-image' },
};

export function unknownTypeMessage(kind: string, type: string, known: readonly string[]): string {
  return `unknown ${kind} type "${type}"${didYouMean(type, known)} (known: ${known.join(', ')})`;
}

export function buildFromEntry<T>(
  kind: string,
  table: Record<string, Factory<T>>,
  entry: AdapterEntry,
  path: ConfigPath,
  deps: AdapterDeps,
  rootKeys: readonly string[] = [],
): T {
  const factory = Object.hasOwn(table, entry.type) ? table[entry.type] : undefined;
  if (!factory) throw new ConfigError(`${formatPath([...path, 'type'])}: ${unknownTypeMessage(kind, entry.type, Object.keys(table))}`);
  const { type: _type, ...options } = entry;
  const parsed = parseStrict(factory.schema, options, path, ['type', ...rootKeys]);
  if (!parsed.success) throw new ConfigError(`${formatPath(path)} (${entry.type}) is invalid:\n${parsed.lines.join('\n')}`);
  collectSecretNames(parsed.data, deps.secretNames);
  return factory.create(parsed.data as never, deps);
}

export function buildProvider(name: string, entry: AdapterEntry, deps: AdapterDeps): ImageProvider {
  const { concurrency, ratePerMinute, ...rest } = entry;
  const limits = parseStrict(ProviderLimitsSchema, { concurrency, ratePerMinute }, ['providers', name]);
  if (!limits.success) throw new ConfigError(`providers.${name} limits are invalid:\n${limits.lines.join('\n')}`);
  const provider = buildFromEntry('provider', PROVIDERS, rest, ['providers', name], deps, PROVIDER_LIMIT_KEYS);
  // the config's name is what cards and the ledger show
  const named: ImageProvider = {
    name,
    synthetic: provider.synthetic,
    generate: (request) => provider.generate(request),
    check: provider.check?.bind(provider),
    estimateCostUsd: provider.estimateCostUsd?.bind(provider),
  };
  return withLimits(named, limits.data);
}

export function buildScorer(entry: AdapterEntry, index: number, deps: AdapterDeps): ImageScorer {
  return buildFromEntry('scorer', SCORERS, entry, ['scorers', index], deps);
}

/**
 * Adapters name their secrets in options ending in "Secret" or "SecretName" (apiKeySecret, tokenSecret,
 * signingSecret, publishSecretName, secretName …); after parsing, defaults included, this finds them.
 */
export function collectSecretNames(options: unknown, into: Set<string> | undefined): void {
  if (!into || options === null || typeof options !== 'object') return;
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'string' && /secret(name)?$/i.test(key)) into.add(value);
    else if (typeof value === 'object') collectSecretNames(value, into);
  }
}
