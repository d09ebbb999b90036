// Builds adapters from config entries (`{ "type": "...", ...options }`). Each type names a
// factory and the zod schema its options must pass; a bad entry is a ConfigError naming the
// config path. Adding an integration = one line here plus its module.
import { z } from 'zod';
import { ConfigError } from '../config/load.ts';
import type { AdapterEntry } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { ImageProvider, ImageScorer, SecretStore } from './types.ts';
import { createDefaultImageProvider, DefaultImageConfigSchema } from './default-images/default-image-provider.ts';
import { createLocalScorer, LocalScorerConfigSchema } from './embedded/local-scorer.ts';
import { createTitleCardProvider, TitleCardProviderConfigSchema } from './embedded/title-card-provider.ts';

export interface AdapterDeps {
  secrets: SecretStore;
  logger: Logger;
}

interface Factory<T> {
  schema: z.ZodType;
  create(options: never, deps: AdapterDeps): T;
}

const PROVIDERS: Record<string, Factory<ImageProvider>> = {
  'title-card': { schema: TitleCardProviderConfigSchema, create: (options) => createTitleCardProvider(options) },
  'default-image': { schema: DefaultImageConfigSchema, create: (options) => createDefaultImageProvider(options) },
};

const SCORERS: Record<string, Factory<ImageScorer>> = {
  local: { schema: LocalScorerConfigSchema, create: (options) => createLocalScorer(options) },
};

/** Names every tier may use without declaring them. */
export const BUILTIN_PROVIDERS: Record<string, AdapterEntry> = {
  'title-card': { type: 'title-card' },
  'default-image': { type: 'default-image' },
};

export function buildFromEntry<T>(kind: string, table: Record<string, Factory<T>>, entry: AdapterEntry, path: string, deps: AdapterDeps): T {
  const factory = table[entry.type];
  if (!factory) throw new ConfigError(`${path}: unknown ${kind} type "${entry.type}" (known: ${Object.keys(table).join(', ')})`);
  const { type: _type, ...options } = entry;
  const parsed = factory.schema.safeParse(options);
  if (!parsed.success) throw new ConfigError(`${path} (${entry.type}) is invalid:\n${z.prettifyError(parsed.error)}`);
  return factory.create(parsed.data as never, deps);
}

export function buildProvider(name: string, entry: AdapterEntry, deps: AdapterDeps): ImageProvider {
  const provider = buildFromEntry('provider', PROVIDERS, entry, `providers.${name}`, deps);
  return provider.name === name ? provider : { ...provider, name, generate: provider.generate.bind(provider), check: provider.check?.bind(provider) };
}

export function buildScorer(entry: AdapterEntry, index: number, deps: AdapterDeps): ImageScorer {
  return buildFromEntry('scorer', SCORERS, entry, `scorers[${index}]`, deps);
}
