// `hero-desk check`: validate the config and probe every adapter (AITable fields, OpenAI
// models, R2 bucket, relay…) and a PostgreSQL store without starting the pipeline. Exit 0 when all pass, 1 when a probe
// fails; an invalid config (any unknown key included) is a ConfigError: every mistake printed, exit 2.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAdapters } from '../core/app/adapters.ts';
import { removeStaleScratch } from '../core/app/stale-temps.ts';
import { checkAdapters } from '../core/app/startup.ts';
import { checkStore } from '../core/app/store-check.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import { silentLogger } from '../core/base/log.ts';
import { inspectDataDir } from '../core/base/machine-errors.ts';
import { createHeadlessSecretStore } from '../core/adapters/secrets.ts';
import { DATA_DIR_NEXT_STEP } from './data-dir.ts';

const SCRATCH_PREFIX = 'hero-desk-check-';

export async function runCheck(options: { dataDir: string; config?: string }): Promise<void> {
  const dataDir = resolve(options.dataDir);
  // changes nothing; an unusable folder throws a DataDirError (one line, exit 2)
  const dataDirNote = inspectDataDir(dataDir, DATA_DIR_NEXT_STEP);
  const configPath = options.config ? resolve(options.config) : join(dataDir, 'hero-desk.config.json');
  const config = loadConfig(configPath, options.config !== undefined);
  // the embedded servers start on scratch space and free ports, so a running instance is undisturbed
  await removeStaleScratch(tmpdir(), SCRATCH_PREFIX);
  const scratch = mkdtempSync(join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  const secrets = createHeadlessSecretStore(dataDir);
  const adapters = await buildAdapters({
    dataDir: scratch,
    config,
    secrets,
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  try {
    const results = await checkAdapters(adapters);
    const store = await checkStore(config, secrets);
    if (dataDirNote) process.stdout.write(`${dataDirNote}\n`);
    process.stdout.write(existsSync(configPath) ? `config ${configPath}: valid\n` : `no config at ${configPath}: embedded defaults\n`);
    if (store) process.stdout.write(`${store.ok ? 'ok  ' : 'FAIL'}  ${store.label}: ${store.message}\n`);
    for (const result of results)
      process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.adapter}${result.ok ? '' : `: ${result.message}`}\n`);
    process.exitCode = results.every((result) => result.ok) && store?.ok !== false ? 0 : 1;
  } finally {
    await adapters.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
