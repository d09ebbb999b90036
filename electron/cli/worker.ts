// `hero-desk worker`: only the queue, beside the desk on the same data directory, until
// SIGINT/SIGTERM. On a signal it stops claiming and hands its running jobs back to the queue.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHeadlessSecretStore } from '../core/adapters/secrets.ts';
import { createLogger } from '../core/base/log.ts';
import { APP_VERSION } from '../core/base/version.ts';
import { startWorker, WORKER_DEFAULT_LANES } from '../core/worker.ts';
import { describeStore, SQLITE_FILE } from '../core/app/open-store.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import { OptionsError } from './cli-errors.ts';
import { takeStopSignals } from './stop-signals.ts';

export interface WorkerOptions {
  dataDir: string;
  config?: string;
  lanes?: string[];
  jsonLogs: boolean;
  logLevel: string;
}

export async function runWorker(options: WorkerOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const configPath = options.config ? resolve(options.config) : undefined;
  const config = loadConfig(configPath ?? join(dataDir, 'hero-desk.config.json'), configPath !== undefined);
  // a typo in --data-dir must not make an empty queue that waits for ever (on PostgreSQL the config names the store)
  if (config.store.type === 'sqlite' && !existsSync(join(dataDir, SQLITE_FILE)))
    throw new OptionsError(
      `--data-dir ${dataDir} holds no Hero Desk database: give the desk's data directory, or start the desk there first (hero-desk start -d ${options.dataDir})`,
    );
  const logger = createLogger({ json: options.jsonLogs, level: options.logLevel });
  const signals = takeStopSignals(logger);
  const lanes = options.lanes ?? [...WORKER_DEFAULT_LANES];
  let worker;
  try {
    worker = await startWorker({
      dataDir,
      configPath,
      secrets: createHeadlessSecretStore(dataDir),
      logger,
      lanes,
    });
  } catch (error) {
    signals.release();
    throw error;
  }
  const out = process.stdout;
  out.write(`\nHero Desk ${APP_VERSION} worker is running\n`);
  out.write(`  Lanes   ${lanes.join(', ')}${lanes.includes('publish') ? '' : ' (the desk publishes)'}\n`);
  out.write(`  Data    ${dataDir}\n`);
  out.write(`  Store   ${describeStore(config, dataDir)}\n`);
  out.write(`  Owner   ${worker.owner}\n`);
  if (!existsSync(join(dataDir, 'runtime.json')))
    out.write(`  No desk is running on this folder now: stories arrive once \`hero-desk start -d ${options.dataDir}\` runs.\n`);
  out.write('Ctrl+C stops; running jobs go back to the queue.\n\n');
  signals.started(async (signal) => {
    logger.info({ signal }, 'shutting down');
    await worker.stop();
    process.exit(process.exitCode ?? 0);
  });
}
