// The one registry: each seam's table (a config `type` → its options schema and factory) lives in its
// own file here, and every adapter the core runs is built through one of them — the embedded defaults
// (demo source, disk storage with its media server, bundled relay) included. Adding an integration =
// one line in its seam's table plus its module.
import type { z } from 'zod';
import { schemasOf } from './factory.ts';
import { PROVIDERS } from './providers.ts';
import { PROMPT_WRITERS, SCORERS } from './scorers.ts';
import { SOURCES } from './sources.ts';
import { STORAGES } from './storage.ts';
import { PUBLISHERS } from './publishers.ts';

export { collectSecretNames, unknownTypeMessage, type AdapterDeps, type FactoryTable, type RunDeps } from './factory.ts';
export { BUILTIN_PROVIDERS, PROVIDER_LIMIT_KEYS, buildProvider } from './providers.ts';
export { buildPromptWriter, buildScorer } from './scorers.ts';
export { buildSource, type SourceSetup } from './sources.ts';
export { buildStorage } from './storage.ts';
export { buildPublisher, type PublisherSetup } from './publishers.ts';

/** Every seam's tables by the kind named in error messages ("unknown storage type …"). */
export const ENTRY_FACTORIES = {
  provider: PROVIDERS,
  scorer: SCORERS,
  source: SOURCES,
  storage: STORAGES,
  publisher: PUBLISHERS,
  'prompt writer': PROMPT_WRITERS,
};

/** Every entry kind's option schemas by type: settings/config-check.ts checks a whole file against them at once. */
export const ENTRY_SCHEMAS = {
  provider: schemasOf(PROVIDERS),
  scorer: schemasOf(SCORERS),
  source: schemasOf(SOURCES),
  storage: schemasOf(STORAGES),
  publisher: schemasOf(PUBLISHERS),
  'prompt writer': schemasOf(PROMPT_WRITERS),
} satisfies Record<keyof typeof ENTRY_FACTORIES, Record<string, z.ZodType>>;
