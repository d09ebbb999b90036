// The headless CLI as a user runs it: a real process, real ports, real signals.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('hero-desk CLI', () => {
  it('starts on embedded defaults, prints the board URL, serves commands with the token, and stops cleanly on SIGTERM', async () => {
    const dataDir = dirs.make();
    const cli = run(['start', '--data-dir', dataDir, '--board-port', '0', '--json-logs']);
    const runtimePath = join(dataDir, 'runtime.json');
    await waitFor(() => existsSync(runtimePath), 20_000, 'runtime.json');
    const runtime = JSON.parse(readFileSync(runtimePath, 'utf8')) as { boardUrl: string; readerUrl: string };
    await waitFor(() => cli.output().stdout.includes('Board'), 5_000);
    expect(cli.output().stdout).toContain(runtime.boardUrl);
    const [origin, fragment] = runtime.boardUrl.split('/#token=');
    const unauthorised = await fetch(`${origin}/api/commands/appInfo`, { method: 'POST', body: '{}' });
    expect(unauthorised.status).toBe(401);
    const info = await fetch(`${origin}/api/commands/appInfo`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${fragment}` } });
    expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', readerUrl: runtime.readerUrl } });
    // JSON logs on request: every stderr line parses
    const lines = cli.output().stderr.trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(runtimePath)).toBe(false);
    expect(cli.output().stderr).toContain('core stopped cleanly');
  }, 40_000);

  it('exits 2 with a readable message on a corrupt config', async () => {
    const dataDir = dirs.make();
    const config = join(dataDir, 'bad.json');
    writeFileSync(config, '{"pollIntervalMs": "soon"}');
    const cli = run(['start', '--data-dir', dataDir, '--config', config, '--board-port', '0']);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toMatch(/hero-desk: config .*bad\.json is invalid/);
    expect(cli.output().stderr).toContain('pollIntervalMs');
  });

  it('rejects bad option values before starting anything', async () => {
    const cli = run(['start', '--auto-approve', '11']);
    expect(await cli.exited).not.toBe(0);
    expect(cli.output().stderr).toContain('must be a score from 1 to 10');
  });
});
