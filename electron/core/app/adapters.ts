// Builds the running adapters from config through the registry (adapters/registry/): storage (+ the
// media server when on local disk), the publisher (+ the bundled relay), provider chains per tier,
// scorers, the prompt writer and the source. Returns what must be stopped on shutdown.
import { TIERS, type Tier } from '../../../shared/domain.ts';
import type { SharedLimiter } from '../adapters/limits.ts';
import type { ImageProvider, ImageScorer, ImageStorage, PromptWriter, Publisher, SecretStore } from '../adapters/types.ts';
import {
  BUILTIN_PROVIDERS,
  buildPromptWriter,
  buildProvider,
  buildPublisher,
  buildScorer,
  buildSource,
  buildStorage,
  type AdapterDeps,
  type RunDeps,
  type SourceSetup,
} from '../adapters/registry/index.ts';
import { ConfigError } from '../settings/config-load.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import type { Logger } from '../base/log.ts';

export interface Adapters extends SourceSetup {
  storage: ImageStorage;
  publisher: Publisher;
  chains: Record<Tier, ImageProvider[]>;
  scorers: ImageScorer[];
  promptWriter: PromptWriter | null;
  readerUrl: string | null;
  /** The bundled relay's reader WebSocket URL, when it runs. */
  relayWsUrl: string | null;
  /** Secret names the configured adapters use. */
  secretNames: string[];
  stop(): Promise<void>;
}

export interface AdapterOptions {
  dataDir: string;
  config: HeroDeskConfig;
  secrets: SecretStore;
  logger: Logger;
  mediaPort?: number;
  relayPort?: number;
  /** False in a worker: no media server, no bundled relay (registry/factory.ts RunDeps.servers). */
  servers?: boolean;
  /** Providers' limits counted in the store, shared with the other processes on it. */
  providerLimiter?: SharedLimiter;
}

export async function buildAdapters(options: AdapterOptions): Promise<Adapters> {
  const { config, dataDir, logger } = options;
  const secretNames = new Set<string>();
  const stops: (() => Promise<void>)[] = [];
  const deps: RunDeps = {
    secrets: options.secrets,
    logger,
    secretNames,
    dataDir,
    config,
    mediaPort: options.mediaPort,
    relayPort: options.relayPort,
    servers: options.servers,
    providerLimiter: options.providerLimiter,
    onStop: (stop) => void stops.push(stop),
  };
  try {
    const storage = await buildStorage(config.storage, deps);
    const { publisher, readerUrl, relayWsUrl } = await buildPublisher(config.publisher, deps);
    const chains = buildChains(config, deps);
    const scorers = config.scorers.map((entry, index) => buildScorer(entry, index, deps));
    const source = buildSource(config, deps);
    const promptWriter = buildPromptWriter(config.promptWriter, deps);
    return {
      storage,
      publisher,
      chains,
      scorers,
      promptWriter,
      ...source,
      readerUrl,
      relayWsUrl,
      secretNames: [...secretNames].sort(),
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

function buildChains(config: HeroDeskConfig, deps: AdapterDeps): Record<Tier, ImageProvider[]> {
  const built = new Map<string, ImageProvider>();
  const provider = (name: string, tier: Tier): ImageProvider => {
    const existing = built.get(name);
    if (existing) return existing;
    const entry = config.providers[name] ?? BUILTIN_PROVIDERS[name];
    if (!entry) throw new ConfigError(`tiers.${tier}.providers names "${name}", which is not in providers`);
    const made = buildProvider(name, entry, deps);
    built.set(name, made);
    return made;
  };
  return Object.fromEntries(TIERS.map((tier) => [tier, config.tiers[tier].providers.map((name) => provider(name, tier))])) as Record<
    Tier,
    ImageProvider[]
  >;
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
