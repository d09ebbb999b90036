// The headless CLI as a user runs it: a real process, real ports, real signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const blockers: Server[] = [];
/** Every CLI started here; one still running when its test ends (a failed assertion) is killed, never left behind. */
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  dirs.cleanup();
  await Promise.all(blockers.splice(0).map((b) => new Promise((r) => b.close(r))));
});

/** Holds a port (a given one, or any); resolves with the port, held by us or by someone else already. */
async function occupy(port = 0): Promise<number> {
  const blocker = createServer();
  const taken = await new Promise<number | null>((resolve) => {
    blocker.once('error', () => resolve(null));
    blocker.listen(port, '127.0.0.1', () => resolve((blocker.address() as AddressInfo).port));
  });
  if (taken !== null) blockers.push(blocker);
  return taken ?? port;
}

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
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
    const info = await fetch(`${origin}/api/commands/appInfo`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${fragment}` },
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', readerUrl: runtime.readerUrl } });
    // JSON logs on request: every stderr line parses
    const lines = cli.output().stderr.trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect((): unknown => JSON.parse(line)).not.toThrow();
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

  it('exits 2 naming the flag and the next step when an option is out of its range (checked with zod before anything runs)', async () => {
    const dataDir = dirs.make();
    const level = run(['start', '--data-dir', dataDir, '--log-level', 'loud']);
    expect(await level.exited).toBe(2);
    expect(level.output().stderr.trim()).toBe(
      'hero-desk: --log-level must be one of trace, debug, info, warn, error, fatal, silent (see hero-desk start --help)',
    );
    expect(existsSync(join(dataDir, 'hero-desk.db'))).toBe(false);
    const secret = run(['relay', '--port', '0', '--secret-env', 'not a name']);
    expect(await secret.exited).toBe(2);
    expect(secret.output().stderr).toContain('--secret-env must be an environment variable name');
    expect(secret.output().stderr).toContain('see hero-desk relay --help');
  });

  it('exits 2 with one line naming the flag or config key when a chosen port is taken', async () => {
    const taken = await occupy();
    const dataDir = dirs.make();
    const cases: [string[], string][] = [
      [['--board-port', String(taken), '--media-port', '0', '--relay-port', '0'], '(--board-port)'],
      [['--board-port', '0', '--media-port', '0', '--relay-port', String(taken)], '(--relay-port)'],
      [['--board-port', '0', '--media-port', String(taken), '--relay-port', '0'], '(--media-port)'],
    ];
    writeFileSync(join(dataDir, 'ports.json'), JSON.stringify({ relay: { port: taken } }));
    cases.push([['--config', join(dataDir, 'ports.json'), '--board-port', '0', '--media-port', '0'], '(relay.port in the config)']);
    for (const [args, named] of cases) {
      const cli = run(['start', '--data-dir', dataDir, '--json-logs', '--log-level', 'warn', ...args]);
      expect(await cli.exited).toBe(2);
      const lines = cli.output().stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${taken}`);
      expect(lines[0]).toContain(named);
    }
  }, 40_000);

  it('falls back to a free port when the default relay port (4782) is taken, with one warning naming --relay-port', async () => {
    await occupy(4782); // held by us, or already by someone else: taken either way
    const dataDir = dirs.make();
    const cli = run(['start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--json-logs']);
    const runtimePath = join(dataDir, 'runtime.json');
    await waitFor(() => existsSync(runtimePath) || cli.child.exitCode !== null, 20_000, 'runtime.json');
    const warnings = cli
      .output()
      .stderr.split('\n')
      .filter((line) => line.includes('relay port 4782 is taken'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('--relay-port');
    // and the reader page on the board's port finds the relay where it went
    const { readerUrl } = JSON.parse(readFileSync(runtimePath, 'utf8')) as { readerUrl: string };
    const { wsUrl } = (await (await fetch(readerUrl.replace('/reader', '/relay.json'))).json()) as { wsUrl: string };
    expect(wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(wsUrl).not.toContain(':4782/');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 40_000);
});
