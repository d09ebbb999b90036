// What the desk (core/index.ts) and a `hero-desk worker` (core/worker.ts) both run: the config, the
// store, the disk watch, the adapters, the lanes and the queue engine with its three handlers, plus
// the write-back outbox hook (a state change and its outbox row commit together, whoever made it);
// and what working beside other processes on one file takes: following their commits, registering
// this process's lanes, ending a dead local process's leases. The desk adds the board, ingest, the
// write-back drain and the servers; a worker adds only the config file's live changes.
import { join } from 'node:path';
import type { Lane, QueueProcess } from '../../../shared/domain.ts';
import type { SharedLimiter } from '../adapters/limits.ts';
import type { SecretStore } from '../adapters/types.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import type { Logger } from '../base/log.ts';
import { ensureWritableDataDir } from '../base/machine-errors.ts';
import { perceptualHash } from '../imaging/phash.ts';
import { createGenerateHandler, createGenerateUpgradeHandler } from '../pipeline/generate-job.ts';
import type { PipelineDeps } from '../pipeline/deps.ts';
import { createPublishHandler } from '../pipeline/publish-job.ts';
import { createVariantAssets } from '../pipeline/publication-assets.ts';
import { QueueEngine } from '../queue/engine.ts';
import { createLivePrompts } from '../settings/live.ts';
import { loadConfig } from '../settings/config-load.ts';
import { asDesk } from '../store/actor-context.ts';
import { isLanePaused } from '../store/queue-state.ts';
import type { Store } from '../store/store.ts';
import { openStore } from './open-store.ts';
import { buildAdapters, type Adapters } from './adapters.ts';
import { buildLanes } from './build-lanes.ts';
import { StoreProviderLimits } from './provider-limits.ts';
import { announceResumedJobs, releaseDeadLocalLeases } from './resumed.ts';
import { startProcessRegistry } from './queue-processes.ts';
import { watchDisk } from './disk-watch.ts';
import { sweepStaleTemps } from './stale-temps.ts';
import { recordWriteBackStates } from './write-back-state.ts';

/** How often the leases of a dead process on this machine are looked for, and this process's row renewed. */
const SWEEP_MS = 2_000;

export interface QueueCoreOptions {
  dataDir: string;
  /** Default <dataDir>/hero-desk.config.json, optional; an explicit path must exist. */
  configPath?: string;
  /** Overrides the config's autoApproveMinScore (CLI --auto-approve). */
  autoApproveMinScore?: number | null;
  secrets: SecretStore;
  logger: Logger;
  mediaPort?: number;
  relayPort?: number;
  /** Which process this is: the desk (board, ingest, servers) or a `hero-desk worker`. */
  role: QueueProcess['role'];
  /** False for a worker: no media server, no bundled relay (adapters.ts). */
  servers?: boolean;
  /** The lanes this process claims from (default all; `start --lanes`, `worker --lanes`): others take the rest. */
  claimLanes?: readonly string[];
  /** Queue lease; short in crash tests. */
  leaseMs?: number;
  /** How fast the disk-full problem closes once there is space; short in tests. */
  diskWatch?: { settleMs?: number; probeMs?: number };
}

export interface QueueCore {
  config: HeroDeskConfig;
  configPath: string;
  autoApproveMinScore: number | null;
  store: Store;
  adapters: Adapters;
  deps: PipelineDeps;
  engine: QueueEngine;
  /** Counts each provider's limits in the store; providers added later (the settings) use it too. */
  providerLimiter: SharedLimiter;
  /** Replaces the prompt section in place (the settings screen). */
  replacePrompts: (raw: unknown) => void;
  /** Makes a story's web variants: the publish job, and the desk's preparation before approval. */
  prepareAssets: ReturnType<typeof createVariantAssets>;
  /** Look for work now; deferred, so a transaction never claims jobs from inside itself. */
  wake: () => void;
  leaseMs: number;
  /** Stops the engine (running jobs go back to the queue), the adapters, the disk watch; closes the store. */
  stop(): Promise<void>;
}

export async function openQueueCore(options: QueueCoreOptions): Promise<QueueCore> {
  const { dataDir, logger } = options;
  ensureWritableDataDir(dataDir);
  await sweepStaleTemps(dataDir, logger);
  const configPath = options.configPath ?? join(dataDir, 'hero-desk.config.json');
  const config = loadConfig(configPath, options.configPath !== undefined);
  const autoApproveMinScore = options.autoApproveMinScore !== undefined ? options.autoApproveMinScore : config.autoApproveMinScore;
  const store = openStore(config, dataDir, options.secrets);
  const disk = watchDisk({ store, dataDir, logger, ...options.diskWatch });
  const providerLimiter = new StoreProviderLimits(store);
  let adapters: Adapters;
  try {
    adapters = await buildAdapters({
      dataDir,
      config,
      secrets: options.secrets,
      logger,
      mediaPort: options.mediaPort,
      relayPort: options.relayPort,
      servers: options.servers,
      // the desk and its workers share each provider's limits
      providerLimiter,
    });
  } catch (error) {
    disk.stop();
    store.close();
    throw error;
  }
  adapters.storage = disk.watchStorage(adapters.storage);
  const lanes = buildLanes(config);
  let engine: QueueEngine | null = null;
  // the claim that follows an editor's command is the desk's work: not attributed to the editor
  const wake = () => asDesk(() => setImmediate(() => engine?.wake()));
  const livePrompts = createLivePrompts(config.prompt);
  const deps: PipelineDeps = {
    store,
    lanes: new Map(lanes.map((lane) => [lane.name, lane])),
    wake,
    tiers: config.tiers,
    chains: adapters.chains,
    scorers: adapters.scorers,
    storage: adapters.storage,
    publisher: adapters.publisher,
    prompts: livePrompts.prompts,
    autoApproveMinScore,
    breakingBudgetOverride: config.breakingBudgetOverride,
    perceptualHash,
    promptWriter: adapters.promptWriter,
    logger,
  };
  // one preparer for both: an approval waits for the variants the background is making
  const prepareAssets = createVariantAssets({ storage: adapters.storage, site: config.site });
  const leaseMs = options.leaseMs ?? config.leaseSeconds * 1000;
  const built = new QueueEngine({
    store,
    lanes,
    logger,
    leaseMs,
    claimLanes: options.claimLanes,
    paused: () => disk.full,
    lanePaused: (lane) => isLanePaused(store, lane),
    handlers: {
      generate: createGenerateHandler(deps),
      upgrade: createGenerateUpgradeHandler(deps),
      publish: createPublishHandler(deps, prepareAssets),
    },
  });
  engine = built;
  // the other processes on this file (the desk, its workers): their commits reach this store's
  // listeners (the board, the write-back) and wake this engine
  store.followOtherProcesses();
  const stopFollowing = store.onChange((changes) => {
    if (changes.elsewhere) wake();
  });
  // who works the queue: this process renews its row; the desk says when a lane has no taker
  const registry = startProcessRegistry(store, {
    owner: built.owner,
    role: options.role,
    lanes: (options.claimLanes ?? lanes.map((lane) => lane.name)) as Lane[],
  });
  // after an unclean stop the desk says once how many jobs go back to work, before any sweep runs
  if (options.role === 'desk') {
    announceResumedJobs(store, logger);
    releaseDeadLocalLeases(store);
  }
  // a process beside this one on the machine that died cannot renew its leases: end them now, so
  // its jobs go on at once rather than when the leases would have run out
  const deadLeaseSweep = setInterval(() => {
    try {
      const released = releaseDeadLocalLeases(store);
      if (released > 0) {
        // one process says so: the one whose sweep ended the leases
        const message = `${released} ${released === 1 ? 'job' : 'jobs'} resumed after a process on this machine stopped uncleanly`;
        logger.warn({ jobs: released }, message);
        store.notice('info', `${message}; their stories go back to work`);
        wake();
      }
      registry.sweep();
    } catch {
      // a busy database: the next sweep, or the leases' expiry, takes them up
    }
  }, SWEEP_MS);
  deadLeaseSweep.unref();
  // the outbox row commits with each state change; the desk's write-back worker drains it, across restarts
  const stopRecording = adapters.writeBack ? recordWriteBackStates(store, adapters.writeBackDelayMs, config.site) : () => undefined;
  return {
    config,
    configPath,
    autoApproveMinScore,
    store,
    adapters,
    deps,
    engine: built,
    providerLimiter,
    replacePrompts: livePrompts.replace,
    prepareAssets,
    wake,
    leaseMs,
    async stop() {
      clearInterval(deadLeaseSweep);
      stopFollowing();
      await built.stop();
      try {
        registry.stop();
      } catch {
        // a full disk: the row is forgotten once it is not renewed
      }
      stopRecording();
      await adapters.stop();
      disk.stop();
      store.close();
    },
  };
}
