// Controlling a running Hero Desk from a shell: pause, queue, resume and prioritise go through the
// same contract the board uses (via runtime.json's address and token); no instance, a clear line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  dirs.cleanup();
});

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('queue control from the shell', () => {
  it('pauses, shows, resumes and prioritises a running instance', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records: [] }));
    const child = spawn(process.execPath, [CLI, 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0', '--json-logs'], { stdio: 'ignore' });
    children.push(child);
    await waitFor(() => existsSync(join(dataDir, 'runtime.json')), 30_000, 'runtime.json');

    const paused = cli('pause', '--tier', 'breaking', '--data-dir', dataDir);
    expect(paused.status, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/breaking\s+paused/);
    expect(paused.stdout).toMatch(/regular\s+running/);
    expect(cli('queue', '--data-dir', dataDir).stdout).toMatch(/breaking\s+paused\s+0 waiting/);
    expect(cli('resume', '--data-dir', dataDir).stdout).toMatch(/breaking\s+running/);

    const none = cli('prioritise', 'recNothing1', '--data-dir', dataDir);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('prioritise refused');
    expect(cli('pause', '--tier', 'weekend', '--data-dir', dataDir).stderr).toContain('--tier must be one of breaking, regular, default, publish');
  }, 60_000);

  it('says plainly when no Hero Desk runs with that data dir', () => {
    const result = cli('pause', '--data-dir', dirs.make());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/hero-desk: Hero Desk is not running with data dir .* start it with `hero-desk start`/);
  });
});
