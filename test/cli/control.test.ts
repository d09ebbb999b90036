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
    const child = spawn(
      process.execPath,
      [CLI, 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0', '--json-logs'],
      { stdio: 'ignore' },
    );
    children.push(child);
    await waitFor(() => existsSync(join(dataDir, 'runtime.json')), 30_000, 'runtime.json');

    const paused = cli('pause', '--tier', 'breaking', '--data-dir', dataDir);
    expect(paused.status, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/breaking\s+paused/);
    expect(paused.stdout).toMatch(/regular\s+running/);
    const queue = cli('queue', '--data-dir', dataDir).stdout;
    expect(queue).toMatch(/breaking\s+paused\s+0 waiting/);
    // who works the queue: this desk, on every lane, so nothing is left unclaimed
    expect(queue).toMatch(
      new RegExp(`worked by\\n  desk\\s+[^:]+:${child.pid}:\\w+\\s+up \\d+ s\\s+lanes breaking, regular, default, publish\\n$`),
    );
    expect(cli('resume', '--data-dir', dataDir).stdout).toMatch(/breaking\s+running/);

    const none = cli('prioritise', 'recNothing1', '--data-dir', dataDir);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('prioritise refused');
    expect(cli('pause', '--tier', 'weekend', '--data-dir', dataDir).stderr).toContain(
      '--tier must be one of breaking, regular, default, publish',
    );

    const today = new Date().toISOString().slice(0, 10);
    const ledger = cli('ledger', '--day', today, '--month', today.slice(0, 7), '--data-dir', dataDir);
    expect(ledger.status, ledger.stderr).toBe(0);
    expect(ledger.stdout).toContain(`ledger ${today}: $0.0000 spent`);
    expect(ledger.stdout).toMatch(/tier\s+calls\s+spent\s+budget/);
    expect(ledger.stdout).toMatch(/breaking\s+0\s+\$0\.0000\s+none/);
    expect(ledger.stdout).toContain(`month ${today.slice(0, 7)}: $0.0000 spent`);
    expect(ledger.stdout).toMatch(/queued: 0 stories waiting, estimated \$0\.0000/);
    expect(ledger.stdout).toMatch(/regular\s+0\s+\$0\.0000/); // title cards: priced at nothing
    const badMonth = cli('ledger', '--month', '2026-13', '--data-dir', dataDir);
    expect(badMonth.status).toBe(1);
    expect(badMonth.stderr).toContain('a month is YYYY-MM');
  }, 60_000);

  it('says plainly when no Hero Desk runs with that data dir', () => {
    const result = cli('pause', '--data-dir', dirs.make());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/hero-desk: Hero Desk is not running with data dir .* start it with `hero-desk start`/);
  });
});
