// `hero-desk start`: the pipeline plus the web board, until SIGINT/SIGTERM. On a signal it
// stops taking work, lets running jobs return to the queue and closes the database cleanly.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpBridge } from '../bridge/http-bridge.ts';
import { resolveListenConfig, type ListenFlags } from '../bridge/listen-config.ts';
import { startCore } from '../core/index.ts';
import { createLogger } from '../core/base/log.ts';
import { ensureWritableDataDir } from '../core/base/machine-errors.ts';
import { assertPortFree, choosePort, DEFAULT_PORTS } from '../core/net/listen.ts';
import { createHeadlessSecretStore } from '../core/adapters/secrets.ts';
import { APP_VERSION } from '../core/base/version.ts';
import { writeFileAtomicSync } from '../core/base/write-atomic.ts';
import { DATA_DIR_NEXT_STEP } from './data-dir.ts';
import { controlRoute } from './desk-client.ts';
import { claimIfConfigured } from './desk-claim.ts';
import { activeAccountCount } from '../core/accounts/accounts.ts';
import { describeStore } from '../core/app/open-store.ts';
import { deskConfig, openDeskStore } from './desk-store.ts';
import type { SecretStore } from '../core/adapters/types.ts';
import { runOnce, summaryTable } from './once.ts';
import { takeStopSignals } from './stop-signals.ts';
import type { Logger } from '../core/base/log.ts';
import { errorMessage } from '../core/base/failures.ts';

/** A cron run that has not finished after this long stops; what is left resumes next time. */
const DEFAULT_ONCE_LIMIT_MS = 30 * 60_000;

export interface StartOptions extends ListenFlags {
  dataDir: string;
  config?: string;
  autoApprove?: number;
  /** Unset: 4780, or a free port (with a warning) when that is taken. */
  boardPort?: number;
  mediaPort?: number;
  relayPort?: number;
  jsonLogs: boolean;
  logLevel: string;
  /** Run once (cron): new stories to an end state, then exit with a summary. */
  once?: boolean;
  timeLimitMs?: number;
  /** The lanes this desk claims from (default all): `hero-desk worker`s take the rest. */
  lanes?: string[];
  /** How long a written datasheet claim settles before it is read back (tests shorten it). */
  claimSettleMs?: number;
}

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export async function runStart(options: StartOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  ensureWritableDataDir(dataDir, DATA_DIR_NEXT_STEP);
  const logger = createLogger({ json: options.jsonLogs, level: options.logLevel });
  if (options.once) return runStartOnce(options, dataDir, logger);
  const signals = takeStopSignals(logger);
  try {
    await runDesk(options, dataDir, logger, (shutdown) => signals.started(shutdown));
  } catch (error) {
    signals.release();
    throw error;
  }
}

async function runDesk(
  options: StartOptions,
  dataDir: string,
  logger: Logger,
  started: (shutdown: (signal: string) => Promise<void>) => void,
): Promise<void> {
  // before anything starts: a refused address (plain HTTP beyond loopback) must not leave a core running
  const listen = resolveListenConfig(options);
  const boardPort =
    listen.port !== null
      ? { port: listen.port, explicit: true, setting: '--listen', flag: '--listen' }
      : choosePort({ cli: options.boardPort, flag: '--board-port', defaultPort: DEFAULT_PORTS.board });
  await assertPortFree(listen.host, 'board', boardPort);
  const coreOptions = headlessCoreOptions(options, dataDir, logger);
  // one pipeline per datasheet: refuse before anything generates when another desk runs it
  const lease = await claimFor(options, dataDir, coreOptions.secrets, logger, listen.publicOrigin);
  // editors approve here: have the variants ready before they click
  let core;
  try {
    core = await startCore({ ...coreOptions, prepareBeforeApproval: true });
  } catch (error) {
    await lease?.release();
    throw error;
  }
  let bridge;
  try {
    const relayWsUrl = core.relayWsUrl ?? null;
    bridge = await startHttpBridge({
      core,
      portChoice: boardPort,
      listen,
      rendererDir: RENDERER_DIR,
      logger: logger.child({ module: 'board' }),
      // the bridge serves the reader page too, so an open page finds the relay after a restart
      relayWsUrl: relayWsUrl === null ? undefined : () => relayWsUrl,
    });
  } catch (error) {
    await core.stop();
    await lease?.release();
    throw error;
  }
  const readerUrl = core.relayWsUrl ? `${bridge.origin}/reader` : core.readerUrl;
  const runtimePath = join(dataDir, 'runtime.json');
  // holds the board token: readable by this user only
  const control = controlRoute(listen.host, bridge.port, options.tlsCert ? { certPath: resolve(options.tlsCert) } : null);
  writeFileAtomicSync(runtimePath, JSON.stringify({ boardUrl: bridge.url, readerUrl, pid: process.pid, control }, null, 2), 0o600);

  const out = process.stdout;
  out.write(
    `\nHero Desk ${APP_VERSION} is running${options.config ? '' : ' (embedded defaults: demo datasheet, title cards, local scorer)'}\n`,
  );
  out.write(`  Board   ${bridge.url}\n`);
  if (readerUrl) out.write(`  Reader  ${readerUrl}\n`);
  out.write(`  Data    ${dataDir}\n`);
  const { store } = deskConfig(dataDir, options.config);
  if (store.type === 'postgres') out.write(`  Store   ${describeStore({ store }, dataDir)}\n`);
  if (options.lanes) out.write(`  Lanes   ${options.lanes.join(', ')} (hero-desk worker takes the rest)\n`);
  if (options.autoApprove !== undefined) out.write(`  Auto-approving images that score ${options.autoApprove} or more\n`);
  const accounts = countAccounts(dataDir, options.config, coreOptions.secrets);
  if (accounts > 0)
    out.write(
      `  Accounts ${accounts}: editors open ${bridge.origin}/#token=<their personal token>; the Board link above is this desk's operator (an admin)\n`,
    );
  out.write('Open the board URL in a browser (the token in it is the password). Ctrl+C stops.\n\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await bridge.stop();
    await core.stop();
    await lease?.release();
    rmSync(runtimePath, { force: true });
    process.exit(process.exitCode ?? 0);
  };
  lease?.setUrl(bridge.origin);
  // a second desk's refusal names this board: put its address in the claim now
  void lease?.renew().catch(() => undefined);
  lease?.keepRenewing(
    (holder) => {
      logger.error(
        { holder: holder?.desk ?? null },
        `another desk (${holder?.desk ?? 'unknown'}) now runs this datasheet's pipeline; stopping this one so images are not made twice`,
      );
      process.exitCode = 2;
      void shutdown('lease lost');
    },
    (error) => logger.warn({ err: errorMessage(error) }, 'could not renew the datasheet claim; trying again'),
  );
  started(shutdown);
}

/** Active accounts (users add): read from a second connection, the core holds its own. */
function countAccounts(dataDir: string, configPath: string | undefined, secrets: SecretStore): number {
  const store = openDeskStore(dataDir, configPath, secrets);
  try {
    return activeAccountCount(store);
  } finally {
    store.close();
  }
}

function claimFor(options: StartOptions, dataDir: string, secrets: SecretStore, logger: Logger, url: string | null) {
  return claimIfConfigured({
    dataDir,
    configPath: options.config ? resolve(options.config) : join(dataDir, 'hero-desk.config.json'),
    configExplicit: options.config !== undefined,
    secrets,
    logger,
    url,
    settleMs: options.claimSettleMs,
  });
}

/** What both `start` and `start --once` give the core: this folder, the config, the headless key store. */
function headlessCoreOptions(options: StartOptions, dataDir: string, logger: Logger) {
  return {
    dataDir,
    transport: 'web',
    configPath: options.config ? resolve(options.config) : undefined,
    autoApproveMinScore: options.autoApprove,
    secrets: createHeadlessSecretStore(dataDir),
    logger,
    mediaPort: options.mediaPort,
    relayPort: options.relayPort,
    claimLanes: options.lanes,
  } as const;
}

/** `start --once`: no board; the pipeline until its work is done (or the time limit), a summary, an exit code. */
async function runStartOnce(options: StartOptions, dataDir: string, logger: Logger): Promise<void> {
  const coreOptions = headlessCoreOptions(options, dataDir, logger);
  const lease = await claimFor(options, dataDir, coreOptions.secrets, logger, null);
  lease?.keepRenewing(() => logger.error('another desk claimed this datasheet during the run'));
  let core;
  try {
    core = await startCore(coreOptions);
  } catch (error) {
    await lease?.release();
    throw error;
  }
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_ONCE_LIMIT_MS;
  let outcome;
  try {
    outcome = await runOnce(core, { timeLimitMs }, logger);
  } finally {
    await core.stop();
    await lease?.release();
  }
  process.stdout.write(`\n${summaryTable(outcome)}\n`);
  process.exit(outcome.exitCode);
}
