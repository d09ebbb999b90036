// The launcher sets glibc's allocator up for sharp before anything is loaded, by replacing itself
// in place: the pid a supervisor (or the chaos verifier) holds is still the desk's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LEAN_ALLOCATOR_ENV } from '../../electron/cli/lean-allocator.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  dirs.cleanup();
});

const glibc = Boolean(
  (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime,
);

describe('the launcher on glibc Linux', () => {
  it.runIf(process.platform === 'linux' && glibc && typeof process.execve === 'function')(
    'runs the desk with the lean allocator settings under the pid it was started with',
    async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, HERO_DESK_RELAY_SECRET: 'a-relay-secret-for-tests-only' };
      delete env.MALLOC_ARENA_MAX;
      delete env.MALLOC_MMAP_THRESHOLD_;
      const child = spawn(process.execPath, [CLI, 'relay', '--port', '0', '--data-file', join(dirs.make(), 'relay.db')], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => {
        if (child.exitCode !== null) throw new Error(`relay exited: ${out}`);
        return /\/publish/.test(out);
      });
      const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(LEAN_ALLOCATOR_ENV)) expect(environ).toContain(`${name}=${value}`);
    },
  );
});
