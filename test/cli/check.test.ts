// `hero-desk check` and `start` on a config with unknown keys, as a user runs them: a real process
// (bin/hero-desk.mjs runs the TypeScript sources directly, so no build is needed).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function configFile(config: unknown): { dataDir: string; path: string } {
  const dataDir = dirs.make();
  const path = join(dataDir, 'my-config.json');
  writeFileSync(path, JSON.stringify(config));
  return { dataDir, path };
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('hero-desk check', () => {
  it('exits 2 on a typo in relay.allowedOrigins, which used to leave the relay open to every origin', async () => {
    const { dataDir, path } = configFile({ relay: { allowedOrigin: ['https://news.example'] } });
    const result = await run(['check', '--data-dir', dataDir, '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `hero-desk: config ${path} is invalid (1 mistake):\n  relay.allowedOrigin: unknown key — did you mean "allowedOrigins"?\n`,
    );
    expect(result.stdout).not.toContain('valid');
    noStackTrace(result.stderr);
  }, 30_000);

  it('exits 2 on a typo in writeBack, which used to turn write-back off, listing every mistake one per line', async () => {
    const { dataDir, path } = configFile({
      source: { type: 'aitable', datasheetId: 'dstNewsroom000001', writeback: { enabled: true } },
      providers: { premium: { type: 'openai', modle: 'gpt-image-2' } },
    });
    const result = await run(['check', '--data-dir', dataDir, '--config', path]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `hero-desk: config ${path} is invalid (2 mistakes):`,
      '  providers.premium.modle: unknown key — did you mean "model"?',
      '  source.writeback: unknown key — did you mean "writeBack"?',
    ]);
  }, 30_000);

  it('exits 2 when the named config cannot be read', async () => {
    const dataDir = dirs.make();
    const result = await run(['check', '--data-dir', dataDir, '--config', join(dataDir, 'missing.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hero-desk: cannot read config .*missing\.json/);
    noStackTrace(result.stderr);
  }, 30_000);

  it('exits 0 on a valid config whose adapters all pass', async () => {
    const { dataDir, path } = configFile({ relay: { allowedOrigins: ['https://news.example'] }, pollIntervalMs: 2000 });
    const result = await run(['check', '--data-dir', dataDir, '--config', path]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`config ${path}: valid`);
    expect(result.code).toBe(0);
  }, 30_000);
});

describe('hero-desk start', () => {
  it('refuses a config with an unknown key, exit 2, before starting anything', async () => {
    const { dataDir, path } = configFile({ relay: { allowedOrigin: ['https://news.example'] } });
    const result = await run(['start', '--data-dir', dataDir, '--config', path, '--board-port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('relay.allowedOrigin: unknown key — did you mean "allowedOrigins"?');
    expect(result.stdout).not.toContain('is running');
    noStackTrace(result.stderr);
  }, 30_000);
});
