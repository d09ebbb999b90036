// `hero-desk start`: the pipeline plus the web board, until SIGINT/SIGTERM. On a signal it
// stops taking work, lets running jobs return to the queue and closes the database cleanly.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpBridge } from '../bridge/http-bridge.ts';
import { startCore } from '../core/index.ts';
import { createLogger } from '../core/base/log.ts';
import { ensureWritableDataDir } from '../core/base/machine-errors.ts';
import { assertPortFree, choosePort, DEFAULT_PORTS } from '../core/net/listen.ts';
import { createHeadlessSecretStore } from '../core/adapters/secrets.ts';
import { APP_VERSION } from '../core/base/version.ts';
import { writeFileAtomicSync } from '../core/base/write-atomic.ts';
import { DATA_DIR_NEXT_STEP } from './data-dir.ts';
import { runOnce, summaryTable } from './once.ts';
import type { Logger } from '../core/base/log.ts';

/** A cron run that has not finished after this long stops; what is left resumes next time. */
const DEFAULT_ONCE_LIMIT_MS = 30 * 60_000;

export interface StartOptions {
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
}

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export async function runStart(options: StartOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  ensureWritableDataDir(dataDir, DATA_DIR_NEXT_STEP);
  const logger = createLogger({ json: options.jsonLogs, level: options.logLevel });
  if (options.once) return runStartOnce(options, dataDir, logger);
  const boardPort = choosePort({ cli: options.boardPort, flag: '--board-port', defaultPort: DEFAULT_PORTS.board });
  await assertPortFree('127.0.0.1', 'board', boardPort);
  // editors approve here: have the variants ready before they click
  const core = await startCore({ ...headlessCoreOptions(options, dataDir, logger), prepareBeforeApproval: true });
  let bridge;
  try {
    const relayWsUrl = core.relayWsUrl ?? null;
    bridge = await startHttpBridge({
      core,
      portChoice: boardPort,
      rendererDir: RENDERER_DIR,
      logger: logger.child({ module: 'board' }),
      // the bridge serves the reader page too, so an open page finds the relay after a restart
      relayWsUrl: relayWsUrl === null ? undefined : () => relayWsUrl,
    });
  } catch (error) {
    await core.stop();
    throw error;
  }
  const readerUrl = core.relayWsUrl ? `http://127.0.0.1:${bridge.port}/reader` : core.readerUrl;
  const runtimePath = join(dataDir, 'runtime.json');
  // holds the board token: readable by this user only
  writeFileAtomicSync(runtimePath, JSON.stringify({ boardUrl: bridge.url, readerUrl, pid: process.pid }, null, 2), 0o600);

  const out = process.stdout;
  out.write(`\nHero Desk ${APP_VERSION} is running${options.config ? '' : ' (embedded defaults: demo datasheet, title cards, local scorer)'}\n`);
  out.write(`  Board   ${bridge.url}\n`);
  if (readerUrl) out.write(`  Reader  ${readerUrl}\n`);
  out.write(`  Data    ${dataDir}\n`);
  if (options.autoApprove !== undefined) out.write(`  Auto-approving images that score ${options.autoApprove} or more\n`);
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
    rmSync(runtimePath, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
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
  } as const;
}

/** `start --once`: no board; the pipeline until its work is done (or the time limit), a summary, an exit code. */
async function runStartOnce(options: StartOptions, dataDir: string, logger: Logger): Promise<void> {
  const core = await startCore(headlessCoreOptions(options, dataDir, logger));
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_ONCE_LIMIT_MS;
  let outcome;
  try {
    outcome = await runOnce(core, { timeLimitMs }, logger);
  } finally {
    await core.stop();
  }
  process.stdout.write(`\n${summaryTable(outcome)}\n`);
  process.exit(outcome.exitCode);
}
