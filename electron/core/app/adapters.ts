// Builds the running adapters from config: storage (+ media server when on local disk), the
// bundled relay (+ its publisher), provider chains per tier, scorers and the source. Returns
// what must be stopped on shutdown.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TIERS, type Tier } from '../../../shared/domain.ts';
import type { ArticleSource, ImageProvider, ImageScorer, ImageStorage, Publisher, SecretStore } from '../adapters/types.ts';
import {
  BUILTIN_PROVIDERS,
  buildPromptWriter,
  buildProvider,
  buildPublisher as buildPublisherFromEntry,
  buildScorer,
  buildStorage as buildStorageFromEntry,
  collectSecretNames,
  type AdapterDeps,
} from '../adapters/registry.ts';
import type { PromptWriter } from '../adapters/types.ts';
import { createDiskStorage } from '../adapters/embedded/disk-storage.ts';
import { startMediaServer } from '../adapters/embedded/media-server.ts';
import { connectionBudget } from '../net/limits.ts';
import { choosePort, DEFAULT_PORTS } from '../net/listen.ts';
import { createRelayPublisher } from '../adapters/publishers/relay.ts';
import { startRelay } from '../relay/relay-server.ts';
import { ConfigError } from '../settings/config-load.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { DEMO_POLL_INTERVAL_MS, DemoSource, DemoSourceConfigSchema } from '../adapters/embedded/demo-source.ts';
import { parseStrict } from '../config/issues.ts';
import { AitableConfigSchema, createAitableSource, createAitableWriteBack, type AitableConfig } from '../adapters/aitable/index.ts';
import type { SourceWriteBack } from '../adapters/types.ts';
import type { Logger } from '../base/log.ts';

export interface Adapters {
  storage: ImageStorage;
  publisher: Publisher;
  chains: Record<Tier, ImageProvider[]>;
  scorers: ImageScorer[];
  promptWriter: PromptWriter | null;
  source: ArticleSource;
  demoSource: DemoSource | null;
  /** Status reports back to the source (AITable write-back), when configured. */
  writeBack: SourceWriteBack | null;
  /** How long the write-back waits to coalesce a burst of changes to one record. */
  writeBackDelayMs: number;
  /** The AITable automation webhook, when enabled. */
  webhook: AitableConfig['webhook'] | null;
  pollIntervalMs: number;
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
}

export async function buildAdapters(options: AdapterOptions): Promise<Adapters> {
  const { config, dataDir, logger } = options;
  const secretNames = new Set<string>();
  const deps: AdapterDeps = { secrets: options.secrets, logger, secretNames };
  const stops: (() => Promise<void>)[] = [];
  try {
    const storage = await buildStorage(options, deps, stops);
    const { publisher, readerUrl, relayWsUrl } = await buildPublisher(options, deps, stops);
    const chains = buildChains(config, deps);
    const scorers = config.scorers.map((entry, index) => buildScorer(entry, index, deps));
    const { source, demoSource, writeBack, writeBackDelayMs, webhook, pollIntervalMs } = buildSource(config, dataDir, deps);
    return {
      storage,
      publisher,
      chains,
      scorers,
      promptWriter: buildPromptWriter(config.promptWriter, deps),
      source,
      demoSource,
      writeBack,
      writeBackDelayMs,
      webhook,
      pollIntervalMs,
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

async function buildStorage(options: AdapterOptions, deps: AdapterDeps, stops: (() => Promise<void>)[]): Promise<ImageStorage> {
  const entry = options.config.storage;
  if (entry.type !== 'disk') return buildStorageFromEntry(entry, deps);
  const dir = join(options.dataDir, 'media');
  const portChoice = choosePort({
    cli: options.mediaPort,
    config: options.config.media.port,
    flag: '--media-port',
    configKey: 'media.port',
    defaultPort: DEFAULT_PORTS.media,
  });
  const media = await startMediaServer({
    dir,
    host: options.config.media.host,
    portChoice,
    warn: (message) => options.logger.warn(message),
  });
  stops.push(() => media.stop());
  return createDiskStorage({ dir, baseUrl: media.baseUrl });
}

async function buildPublisher(
  options: AdapterOptions,
  deps: AdapterDeps,
  stops: (() => Promise<void>)[],
): Promise<{ publisher: Publisher; readerUrl: string | null; relayWsUrl: string | null }> {
  const { config } = options;
  const entry = config.publisher;
  if (entry.type !== 'relay') return { publisher: buildPublisherFromEntry(entry, deps), readerUrl: null, relayWsUrl: null };
  if (!config.relay.enabled) throw new ConfigError('publisher "relay" is the bundled relay: set relay.enabled, or use "external-relay"');
  // the bundled relay lives in this process: a fresh secret per run is enough
  const publishSecret = options.secrets.get('relay-publish') ?? randomBytes(24).toString('base64url');
  const relay = await startRelay({
    host: config.relay.host,
    portChoice: choosePort({
      cli: options.relayPort,
      config: config.relay.port,
      flag: '--relay-port',
      configKey: 'relay.port',
      defaultPort: DEFAULT_PORTS.relay,
    }),
    publishSecret,
    allowedOrigins: config.relay.allowedOrigins,
    // the board bridge serves the same reader page from its own loopback origin
    allowLoopbackOrigins: true,
    // history, idempotency keys and the epoch outlive this process
    dataFile: join(options.dataDir, 'relay.sqlite'),
    maxConnections: connectionBudget('relay'),
    logger: options.logger.child({ module: 'relay' }),
  });
  stops.push(() => relay.stop());
  return { publisher: createRelayPublisher({ url: relay.url, publishSecret }), readerUrl: relay.readerUrl, relayWsUrl: relay.wsUrl };
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

/** Poll interval: the source's own setting, else the top-level one, else the source's default. */
function buildSource(config: HeroDeskConfig, dataDir: string, deps: AdapterDeps) {
  const { type, ...options } = config.source;
  if (type === 'demo') {
    const parsed = parseStrict(DemoSourceConfigSchema, options, ['source'], ['type']);
    if (!parsed.success) throw new ConfigError(`source (demo) is invalid:\n${parsed.lines.join('\n')}`);
    const demoSource = new DemoSource(join(dataDir, 'demo-datasheet.json'));
    const pollIntervalMs = parsed.data.pollIntervalMs ?? config.pollIntervalMs ?? DEMO_POLL_INTERVAL_MS;
    return { source: demoSource as ArticleSource, demoSource, writeBack: null, writeBackDelayMs: 0, webhook: null, pollIntervalMs };
  }
  if (type !== 'aitable') throw new ConfigError(`source: unknown type "${type}" (known: demo, aitable)`);
  // undefined when neither sets it: the aitable schema's own default applies
  const pollIntervalMs = options.pollIntervalMs ?? config.pollIntervalMs;
  const parsed = parseStrict(AitableConfigSchema, { ...options, pollIntervalMs }, ['source'], ['type']);
  if (!parsed.success) throw new ConfigError(`source (aitable) is invalid:\n${parsed.lines.join('\n')}`);
  collectSecretNames(parsed.data.webhook.enabled ? parsed.data : { ...parsed.data, webhook: null }, deps.secretNames);
  const source = createAitableSource(parsed.data, deps);
  const writeBack = parsed.data.writeBack.enabled ? createAitableWriteBack(parsed.data, { ...deps, client: source.client }) : null;
  return {
    source: source as ArticleSource,
    demoSource: null,
    writeBack,
    writeBackDelayMs: parsed.data.writeBack.flushDelayMs,
    webhook: parsed.data.webhook.enabled ? parsed.data.webhook : null,
    pollIntervalMs: parsed.data.pollIntervalMs,
  };
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
