// `hero-desk check`: validate the config and probe every adapter (AITable fields, OpenAI
// models, R2 bucket, relay…) without starting the pipeline. Exit 0 when all pass, 1 when a probe
// fails; an invalid config (any unknown key included) is a ConfigError: every mistake printed, exit 2.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAdapters } from '../core/app/adapters.ts';
import { checkAdapters } from '../core/app/startup.ts';
import { loadConfig } from '../core/config/load.ts';
import { silentLogger } from '../core/log.ts';
import { createHeadlessSecretStore } from '../core/secrets.ts';

export async function runCheck(options: { dataDir: string; config?: string }): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const configPath = options.config ? resolve(options.config) : join(dataDir, 'hero-desk.config.json');
  const config = loadConfig(configPath, options.config !== undefined);
  // the embedded servers start on scratch space and free ports, so a running instance is undisturbed
  const scratch = mkdtempSync(join(tmpdir(), 'hero-desk-check-'));
  const adapters = await buildAdapters({ dataDir: scratch, config, secrets: createHeadlessSecretStore(dataDir), logger: silentLogger(), mediaPort: 0, relayPort: 0 });
  try {
    const results = await checkAdapters(adapters);
    process.stdout.write(existsSync(configPath) ? `config ${configPath}: valid\n` : `no config at ${configPath}: embedded defaults\n`);
    for (const result of results) process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.adapter}${result.ok ? '' : `: ${result.message}`}\n`);
    process.exitCode = results.every((result) => result.ok) ? 0 : 1;
  } finally {
    await adapters.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
