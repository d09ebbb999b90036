// --json-logs means JSON on every line of stderr, whatever the bridge serves: a board that is not
// built yet is said once through the logger (hono's serveStatic would print its own plain line for a
// missing folder), and serving it once it is built adds no other line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CHILD = join(import.meta.dirname, 'json-logs-child.ts');
const dirs = tempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  dirs.cleanup();
});

describe('--json-logs from the web bridge', () => {
  it('writes only JSON lines, and says once (as JSON) that the board is not built', async () => {
    const rendererDir = join(dirs.make(), 'renderer'); // not there yet, like out/renderer before a build
    const child = spawn(process.execPath, [CHILD, rendererDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const origin = await waitFor(() => stdout.split('\n')[0]?.startsWith('http') && stdout.split('\n')[0], 20_000, 'the bridge origin');

    for (let n = 0; n < 2; n++) expect((await fetch(`${origin}/`)).status).toBe(503);
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hero Desk</title>');
    expect(await (await fetch(`${origin}/`)).text()).toContain('Hero Desk');
    expect((await fetch(`${origin}/missing.js`)).status).toBe(404);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
    const lines = stderr.split('\n').filter(Boolean);
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(records.filter((record) => record.msg.includes('the board is not built'))).toHaveLength(1);
    expect(records.find((record) => record.msg.includes('the board is not built'))?.level).toBe(40);
  }, 40_000);
});
