// A `hero-desk worker`: only the queue, beside a desk on the same data directory, or on any machine
// when the store is on PostgreSQL (store: { type: "postgres" }; images then go to R2). It claims jobs
// from its lanes (generate by default), with the desk and any other worker sharing each lane's
// concurrency through the database; no board, no ingest, no media server, no relay. Its commits
// reach the desk's board through the store (store/other-writers.ts), and the desk's commits (a new
// story, a regenerate) wake it the same way.
import { hostname } from 'node:os';
import type { SecretStore } from './adapters/types.ts';
import { ConfigError } from './config/errors.ts';
import type { HeroDeskConfig } from './config/schema.ts';
import type { Logger } from './base/log.ts';
import { openQueueCore } from './app/queue-core.ts';
import { deskAutoApprove, deskHost } from './store/desk-policy.ts';
import { followConfigFile } from './settings/follow-file.ts';
import { createLiveApplier } from './settings/live.ts';

/** What a worker claims unless told otherwise: the generate lanes; the desk publishes. */
export const WORKER_DEFAULT_LANES = ['breaking', 'regular', 'default'] as const;

export interface StartWorkerOptions {
  dataDir: string;
  configPath?: string;
  secrets: SecretStore;
  logger: Logger;
  lanes: readonly string[];
  leaseMs?: number;
  diskWatch?: { settleMs?: number; probeMs?: number };
  /** How often the config file is looked at for the desk's saved settings (default 2 s; short in tests). */
  configPollMs?: number;
}

export interface RunningWorker {
  /** The lease owner its jobs carry (host:pid:random). */
  readonly owner: string;
  readonly lanes: readonly string[];
  /** Jobs running now. */
  running(): number;
  /** Stops claiming; running jobs go back to the queue (no attempt spent); closes the store. */
  stop(): Promise<void>;
}

/** Why a worker cannot claim the publish lane under this config, or null when it can. */
export function publishRefusal(config: HeroDeskConfig): string | null {
  if (config.storage.type === 'disk')
    return 'storage is on local disk, served by the desk\'s media server: readers could not load what a worker publishes. Publish from the desk (leave "publish" out of --lanes), or use R2 storage';
  if (config.publisher.type === 'relay')
    return 'the publisher is the bundled relay, which runs inside the desk. Publish from the desk (leave "publish" out of --lanes), or use "external-relay" or "centrifugo"';
  return null;
}

/** A worker on another machine than the desk cannot put images on the desk's local disk. */
export function otherMachineRefusal(config: HeroDeskConfig, desk: string | null, here: string): string | null {
  if (config.storage.type !== 'disk' || desk === null || desk === here) return null;
  return `the desk runs on ${desk} and keeps images on its local disk: images made here on ${here} could not be served. Give the desk and every worker R2 storage (storage: { "type": "r2", … }), or run this worker on ${desk}`;
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const { logger } = options;
  const queue = await openQueueCore({ ...options, role: 'worker', servers: false, claimLanes: options.lanes });
  const refusal = options.lanes.includes('publish') ? publishRefusal(queue.config) : null;
  if (refusal) {
    await queue.stop();
    throw new ConfigError(`this worker cannot take the publish lane: ${refusal}`);
  }
  const elsewhere = otherMachineRefusal(queue.config, deskHost(queue.store), hostname());
  if (elsewhere) {
    await queue.stop();
    throw new ConfigError(elsewhere);
  }
  const { store, engine, wake } = queue;
  // auto-approval is the desk's (its --auto-approve wins over the config), read per image
  Object.defineProperty(queue.deps, 'autoApproveMinScore', {
    get: () => {
      const desk = deskAutoApprove(store);
      return desk === undefined ? queue.autoApproveMinScore : desk;
    },
  });
  // the desk's settings screen saves the file: what can change live changes here too
  const stopFollowingConfig = followConfigFile({
    configPath: queue.configPath,
    required: options.configPath !== undefined,
    running: queue.config,
    live: createLiveApplier({
      tiers: queue.deps.tiers,
      lanes: queue.deps.lanes,
      chains: queue.deps.chains,
      flags: queue.deps,
      replacePrompts: queue.replacePrompts,
      secretNames: queue.adapters.secretNames,
      secrets: options.secrets,
      logger,
      wake,
      recheck: () => undefined, // the desk runs the adapters' checks and shows them
      providerLimiter: queue.providerLimiter,
    }),
    logger,
    intervalMs: options.configPollMs,
  });
  engine.start();
  logger.info({ dataDir: options.dataDir, lanes: options.lanes, owner: engine.owner }, 'worker started');

  let stopping: Promise<void> | null = null;
  return {
    owner: engine.owner,
    lanes: options.lanes,
    running: () => engine.runningCount(),
    stop() {
      stopping ??= (async () => {
        stopFollowingConfig();
        await queue.stop();
        logger.info('worker stopped cleanly');
      })();
      return stopping;
    },
  };
}
