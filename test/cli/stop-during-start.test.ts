// A SIGTERM that reaches `hero-desk start` while it is still starting (here: at its first log line,
// while the core starts) used to kill it outright — Node's default for a signal nobody listens
// to — so running jobs were not handed back and a stale runtime.json could stay behind. Now the
// desk finishes starting, then stops cleanly with exit code 0.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  dirs.cleanup();
});

describe('hero-desk start and a signal during its start', () => {
  it('finishes starting, then stops cleanly (exit 0, no runtime.json left)', async () => {
    const dataDir = dirs.make();
    const child = spawn(
      process.execPath,
      [CLI, 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0', '--json-logs'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let output = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!signalled && output.includes('\n')) {
        signalled = true; // the first log line: the core is starting, nothing is listening yet
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(signalled).toBe(true);
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  }, 60_000);
});
