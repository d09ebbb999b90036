// Child processes of the harness: `hero-desk start` and `hero-desk relay`, each with its output
// in a log file, a way to wait for its "ready" line, and an exit promise.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly pid: number;
  readonly alive: boolean;
  readonly exited: Promise<Exit>;
  /** Sends the signal and waits for the exit (SIGKILL after graceMs if it is still running). */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

/** A free port on 127.0.0.1 (asked of the kernel, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  args: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
  /** Each line of stdout and stderr. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Resolves `ready` when a line passes this test. */
  ready: (line: string) => boolean;
  readyTimeoutMs: number;
}

export async function spawnCli(options: SpawnOptions): Promise<Child> {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [CLI, ...options.args], {
    cwd: REPO,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let alive = true;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line within ${options.readyTimeoutMs} ms (see ${options.logPath})`)),
      options.readyTimeoutMs,
    );
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`exited before it was ready (code ${exit.code}, signal ${exit.signal}; see ${options.logPath})`));
    });
    for (const [name, stream] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        options.onLine?.(line, name);
        if (options.ready(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  void exited.then(() => setTimeout(() => log.end(), 100));
  const handle: Child = {
    pid: child.pid ?? -1,
    get alive() {
      return alive;
    },
    exited,
    async stop(signal, graceMs = 20_000) {
      if (!alive) return exited;
      child.kill(signal);
      if (signal !== 'SIGKILL') {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        void exited.then(() => clearTimeout(timer));
      }
      return exited;
    },
  };
  try {
    await ready;
  } catch (error) {
    await handle.stop('SIGKILL');
    throw error;
  }
  return handle;
}

/** Whether this checkout's `hero-desk relay` takes --data-file (durable history and dedupe). */
export function relaySupportsDataFile(): boolean {
  const help = spawnSync(process.execPath, [CLI, 'relay', '--help'], { cwd: REPO, encoding: 'utf8' });
  return /--data-file\b/.test(`${help.stdout}${help.stderr}`);
}
