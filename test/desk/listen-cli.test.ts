// `hero-desk start --listen` as a user runs it: a real process refusing plain HTTP beyond loopback,
// and a real TLS desk that a shell command (`hero-desk queue`) and an HTTPS client reach.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../helpers/self-signed.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  dirs.cleanup();
});

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

describe('hero-desk start --listen', () => {
  it('refuses plain HTTP on every interface before starting anything, naming the flags', async () => {
    const dataDir = dirs.make();
    const cli = run(['start', '--data-dir', dataDir, '--listen', '0.0.0.0:0']);
    expect(await cli.exited).toBe(2);
    const { stderr } = cli.output();
    expect(stderr).toContain('hero-desk: refusing plain HTTP on 0.0.0.0');
    expect(stderr).toContain('--tls-cert <file> --tls-key <file>');
    expect(stderr).toContain('--behind-proxy --public-origin');
    expect(existsSync(join(dataDir, 'hero-desk.db'))).toBe(false);
  });

  it('starts a TLS desk with a certificate made here: HTTPS for browsers, and the shell commands still reach it', async () => {
    const dataDir = dirs.make();
    const { certPath, keyPath, cert } = makeSelfSigned(dirs.make());
    const added = run(['users', 'add', 'Maria', '--role', 'editor', '--data-dir', dataDir]);
    expect(await added.exited).toBe(0);
    const personal = /\b(hd1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43})\b/.exec(added.output().stdout)![1]!;
    const cli = run([
      'start',
      '--data-dir',
      dataDir,
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      certPath,
      '--tls-key',
      keyPath,
      '--relay-port',
      '0',
      '--media-port',
      '0',
    ]);
    const runtimePath = join(dataDir, 'runtime.json');
    await waitFor(() => existsSync(runtimePath), 30_000, 'runtime.json');
    const runtime = JSON.parse(readFileSync(runtimePath, 'utf8')) as { boardUrl: string; control: { url: string; certPath: string } };
    expect(runtime.boardUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/#token=/);
    expect(runtime.control.certPath).toBe(certPath);
    const [origin, token] = runtime.boardUrl.split('/#token=') as [string, string];

    await waitFor(() => cli.output().stdout.includes('Accounts 1'), 5_000, 'the accounts line');
    expect(cli.output().stdout).toContain(`Accounts 1: editors open ${origin}/#token=<their personal token>`);
    const appInfo = (bearer: string) =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        const req = request(
          `${origin}/api/commands/appInfo`,
          { method: 'POST', ca: cert, headers: { authorization: `Bearer ${bearer}` } },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    const status = await appInfo(token);
    expect(status.code).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { transport: 'web', actor: { name: 'operator', role: 'admin' } } });
    // the personal token works over HTTPS too, as its account
    expect(JSON.parse((await appInfo(personal)).body)).toMatchObject({ ok: true, value: { actor: { name: 'Maria', role: 'editor' } } });

    const queue = run(['queue', '--data-dir', dataDir]);
    expect(await queue.exited).toBe(0);
    expect(queue.output().stdout).toMatch(/queue\n\s+breaking\s+running/);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 60_000);
});
