// The core's one entry point, shared by the headless CLI and the Electron main process.
// Pure Node: no Electron, no DOM. Both shells get a CoreApi (dispatch + events) and stop().
import { hostname } from 'node:os';
import type { AppInfo } from '../../shared/contract.ts';
import { isWritableSecretStore, type WritableSecretStore } from './adapters/types.ts';
import type { CoreApi } from './app/api.ts';
import { createDispatcher } from './app/commands.ts';
import { createAccountVerifier } from './accounts/accounts.ts';
import { createPresence } from './app/presence.ts';
import { countInterruptedCalls } from './app/interrupted.ts';
import { createEventHub } from './app/events.ts';
import { dueWithinOf, type CardGate } from './app/cards.ts';
import { forecastTier } from './pipeline/cost-forecast.ts';
import { Ingest } from './pipeline/ingest.ts';
import { startPublishReady } from './pipeline/publish-ready.ts';
import { embargoedPublishJobs } from './store/job-schedule.ts';
import { startWriteBackWorker } from './app/write-back-worker.ts';
import { runStartupChecks, startSourceWebhook } from './app/startup.ts';
import { logProblems } from './app/problem-log.ts';
import { republishIfStorageMoved } from './app/storage-origin.ts';
import { repairOrphans } from './pipeline/repair.ts';
import { openJobCount } from './store/jobs.ts';
import { pendingWriteBacks } from './store/writebacks.ts';
import { APP_VERSION } from './base/version.ts';
import { createLiveApplier } from './settings/live.ts';
import { createSettingsService } from './settings/service.ts';
import { openQueueCore, type QueueCoreOptions } from './app/queue-core.ts';
import { recordDeskAutoApprove, recordDeskHost } from './store/desk-policy.ts';
import { announceSettings } from './settings/announce.ts';

/** How often the safety net looks for stories in a transient state with no job (it should find none). */
const REPAIR_INTERVAL_MS = 60_000;

/** What the queue core takes (app/queue-core.ts: config, secrets, ports, lease, lanes), and the desk's own. */
export interface StartCoreOptions extends Omit<QueueCoreOptions, 'role' | 'servers'> {
  transport: 'ipc' | 'web';
  /**
   * Make web variants while a card waits for review, so an approval only sends (publish-ready.ts).
   * The desk (Electron, `hero-desk start`) turns it on; off by default so a core started for a
   * test or `--once` does not encode every card it never publishes (false: made at approval).
   */
  prepareBeforeApproval?: boolean;
}

export interface RunningCore extends CoreApi {
  readonly readerUrl: string | null;
  /** The bundled relay's reader WebSocket URL (for the bridge's /relay.json), when it runs. */
  readonly relayWsUrl?: string | null;
  /** Where the AITable automation webhook listens, when enabled. */
  readonly webhookUrl: string | null;
  readonly dataDir: string;
  /**
   * What is still to do: jobs queued or running (retries included) and write-backs not yet written.
   * A publication held by an embargo is not work left: it is done waiting at its time, by any later run.
   */
  workRemaining(): { jobs: number; writeBacks: number };
  stop(): Promise<void>;
}

export async function startCore(options: StartCoreOptions): Promise<RunningCore> {
  const { dataDir, logger } = options;
  const queue = await openQueueCore({ ...options, role: 'desk' });
  const { config, configPath, autoApproveMinScore, store, adapters, deps, engine, prepareAssets, wake } = queue;
  const prompts = deps.prompts;
  // workers on this file auto-approve as this desk does
  recordDeskAutoApprove(store, autoApproveMinScore);
  // workers on other machines cannot serve images from this machine's disk
  recordDeskHost(store, hostname());
  const publishReady =
    options.prepareBeforeApproval !== true ? null : startPublishReady({ store, prepareAssets, site: config.site, logger });
  const ingest = new Ingest({ ...deps, source: adapters.source, prompts, logger });
  // read per card: the settings screen changes tiers and chains in place
  const cardGate: CardGate = {
    minScore: (tier) => deps.tiers[tier].minScore,
    estimateUsd: (tier) => forecastTier(tier, deps.chains[tier], deps.scorers).perImageUsd,
  };
  const events = createEventHub(store, adapters.storage, dueWithinOf(config.tiers), cardGate);
  const stopProblemLog = logProblems(store, logger);
  const appInfo = (): AppInfo => ({
    version: APP_VERSION,
    transport: options.transport,
    readerUrl: adapters.readerUrl,
    autoApproveMinScore,
    thresholds: { minScore: config.tiers.regular.minScore },
  });
  const demo = adapters.demoSource;
  const recheck = () => void runStartupChecks(adapters, store, logger);
  const settings = createSettingsService({
    configPath,
    config,
    onSaved: announceSettings(store, logger, configPath),
    secrets: options.secrets,
    secretNames: () => adapters.secretNames,
    storeKey: isWritableSecretStore(options.secrets) ? (name, value) => (options.secrets as WritableSecretStore).set(name, value) : null,
    logger,
    live: createLiveApplier({
      tiers: deps.tiers,
      lanes: deps.lanes,
      chains: deps.chains,
      flags: deps,
      replacePrompts: queue.replacePrompts,
      secretNames: adapters.secretNames,
      secrets: options.secrets,
      logger,
      wake,
      recheck,
      providerLimiter: queue.providerLimiter,
    }),
  });
  const presence = createPresence();
  const stopPresence = presence.onChange((list) => events.broadcast({ type: 'presence', seq: store.lastSeq(), presence: list }));
  const dispatch = createDispatcher({
    ...deps,
    presence,
    urls: adapters.storage,
    appInfo,
    addDemoArticle: demo ? (fields) => demo.append(fields) : null,
    checkNow: () => ingest.pollNow(),
    secrets: options.secrets,
    secretNames: adapters.secretNames,
    recheck,
    settings,
    site: config.site,
    undoWindowMs: config.approveUndoSeconds * 1000,
    cardGate,
  });

  const writeBack = adapters.writeBack
    ? startWriteBackWorker({
        store,
        writeBack: adapters.writeBack,
        storage: adapters.storage,
        logger,
        owner: engine.owner,
        leaseMs: queue.leaseMs,
        coalesceMs: adapters.writeBackDelayMs,
        retryBaseMs: config.publishRetry.baseMs,
        retryCapMs: config.publishRetry.capMs,
      })
    : null;
  const webhook = adapters.webhook ? await startSourceWebhook(adapters.webhook, options.secrets, ingest, logger) : null;
  void runStartupChecks(adapters, store, logger);
  republishIfStorageMoved(deps, adapters.storage, logger);
  repairOrphans(deps, logger);
  countInterruptedCalls(store, logger);
  const repairTimer = setInterval(() => {
    try {
      repairOrphans(deps, logger);
    } catch (error) {
      logger.warn({ err: error }, 'safety net could not run this time'); // a full disk, say: the next round tries again
    }
  }, REPAIR_INTERVAL_MS);
  repairTimer.unref();

  engine.start();
  ingest.start(adapters.pollIntervalMs);
  logger.info({ dataDir, source: adapters.source.name, readerUrl: adapters.readerUrl }, 'core started');

  let stopping: Promise<void> | null = null;
  return {
    readerUrl: adapters.readerUrl,
    relayWsUrl: adapters.relayWsUrl,
    webhookUrl: webhook?.url ?? null,
    dataDir,
    dispatch,
    onEvent: events.onEvent,
    accounts: createAccountVerifier(store),
    presence,
    workRemaining: () => ({
      jobs: openJobCount(store) - embargoedPublishJobs(store),
      writeBacks: adapters.writeBack ? pendingWriteBacks(store) : 0,
    }),
    stop() {
      stopping ??= (async () => {
        clearInterval(repairTimer);
        await webhook?.stop();
        await ingest.stop();
        await publishReady?.stop();
        await writeBack?.stop();
        stopPresence();
        events.dispose();
        stopProblemLog();
        await queue.stop();
        logger.info('core stopped cleanly');
      })();
      return stopping;
    },
  };
}
