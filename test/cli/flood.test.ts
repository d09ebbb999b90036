// `hero-desk start` under `ulimit -n 1024` with 5,000 idle sockets and 1,000 slow (slowloris)
// clients against its relay, evicted ones coming back: the board's API keeps answering, the demo
// stories reach review, an approved one is published, nothing fails, the process never nears its
// descriptor limit, and once the flood stops all is well (a new reader gets the published story).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { connectReader } from '../relay/helpers.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs = tempDirs();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  dirs.cleanup();
});

interface Flood {
  opened(): number;
  closedByServer(): number;
  stop(): void;
}

/** Opens `idle` silent and `slow` trickling connections; each one the server closes comes back 2-3 s later. */
function flood(port: number, idle: number, slow: number): Flood {
  const sockets = new Set<Socket>();
  let stopped = false;
  let opened = 0;
  let closedByServer = 0;
  const open = (isSlow: boolean): void => {
    if (stopped) return;
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.add(socket);
    let trickle: NodeJS.Timeout | null = null;
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.once('connect', () => {
      opened += 1;
      if (!isSlow) return;
      socket.write('GET /reader HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      let n = 0;
      trickle = setInterval(() => socket.write(`X-Slow-${n++}: y\r\n`), 2000);
    });
    socket.once('close', () => {
      if (trickle) clearInterval(trickle);
      sockets.delete(socket);
      if (stopped) return;
      closedByServer += 1;
      setTimeout(() => open(isSlow), 2000 + Math.random() * 1000);
    });
  };
  // in waves, so the test's own SYNs do not overrun the listen backlog
  const total = idle + slow;
  let started = 0;
  const wave = setInterval(() => {
    for (let i = 0; i < 250 && started < total; i++, started++) open(started >= idle);
    if (started >= total) clearInterval(wave);
  }, 20);
  return {
    opened: () => opened,
    closedByServer: () => closedByServer,
    stop() {
      stopped = true;
      clearInterval(wave);
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}

describe('hero-desk start under a socket flood at ulimit -n 1024', () => {
  it('keeps the board usable and fails nothing', async () => {
    const dataDir = dirs.make();
    const command = `ulimit -n 1024; exec "${process.execPath}" bin/hero-desk.mjs start --data-dir "${dataDir}" --board-port 0 --relay-port 0 --media-port 0 --json-logs`;
    const child = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const runtimePath = join(dataDir, 'runtime.json');
    await waitFor(() => existsSync(runtimePath), 20_000, `runtime.json (${output})`);
    const runtime = JSON.parse(readFileSync(runtimePath, 'utf8')) as { boardUrl: string; readerUrl: string; pid: number };
    expect(readFileSync(`/proc/${runtime.pid}/limits`, 'utf8')).toMatch(/Max open files\s+1024\s/);
    const [origin, token] = runtime.boardUrl.split('/#token=') as [string, string];
    expect(runtime.readerUrl).toBe(`${origin}/reader`);
    const { wsUrl } = (await (await fetch(`${origin}/relay.json`)).json()) as { wsUrl: string };
    const relayPort = Number(new URL(wsUrl).port);

    const call = async <T>(name: string, input: object = {}): Promise<{ value: T; ms: number }> => {
      const started = Date.now();
      const response = await fetch(`${origin}/api/commands/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { ok: boolean; value: T };
      expect(body.ok).toBe(true);
      return { value: body.value, ms: Date.now() - started };
    };
    const cards = async (): Promise<Card[]> => (await call<{ cards: Card[] }>('snapshot')).value.cards;
    const descriptors = (): number => readdirSync(`/proc/${runtime.pid}/fd`).length;

    const attack = flood(relayPort, 5000, 1000);
    cleanups.push(() => attack.stop());
    const snapshotMs: number[] = [];
    let maxDescriptors = 0;
    const sampler = setInterval(() => {
      try {
        maxDescriptors = Math.max(maxDescriptors, descriptors());
      } catch {
        // the process is gone; the assertions below say why
      }
    }, 100);
    cleanups.push(() => clearInterval(sampler));

    await waitFor(() => attack.opened() >= 6000, 20_000, 'the flood to open 6,000 sockets');
    // the board answers promptly all along
    for (let i = 0; i < 10; i++) {
      snapshotMs.push((await call('snapshot')).ms);
      await new Promise((r) => setTimeout(r, 100));
    }
    // the twelve demo stories reach review meanwhile
    await waitFor(
      async () => {
        const all = await cards();
        snapshotMs.push(0);
        return all.length >= 12 && all.every((c) => c.status === 'generated');
      },
      30_000,
      'every demo story to reach review',
    );
    const chosen = (await cards())[0]!;
    await call('approve', { articleId: chosen.articleId });
    await waitFor(
      async () => (await cards()).find((c) => c.articleId === chosen.articleId)?.status === 'published',
      30_000,
      'the approved story to publish',
    );
    for (let i = 0; i < 5; i++) snapshotMs.push((await call('snapshot')).ms);
    expect((await cards()).filter((c) => c.status === 'failed')).toEqual([]);
    expect(attack.closedByServer()).toBeGreaterThan(5000); // the relay shed the flood instead of holding it
    attack.stop();
    clearInterval(sampler);

    console.log(
      `flood: ${attack.opened()} connections opened, ${attack.closedByServer()} shed by the relay; ` +
        `hero-desk held at most ${maxDescriptors} descriptors; snapshot max ${Math.max(...snapshotMs)} ms`,
    );
    expect(maxDescriptors).toBeLessThan(900);
    // "usable", not a speed target (that is a benchmark's job): alone it answers in tens of ms, and a
    // shared build machine at load 10 stretches it past 2 s; a board that hung would time out at 10 s
    expect(Math.max(...snapshotMs)).toBeLessThan(5000);

    // after the flood: a new reader gets the published story; another approval publishes
    const reader = await connectReader(wsUrl);
    cleanups.push(() => reader.ws.terminate());
    await reader.waitFor((frames) => frames.some((f) => f.message?.articleId === chosen.articleId));
    const second = (await cards()).find((c) => c.status === 'generated')!;
    await call('approve', { articleId: second.articleId });
    await reader.waitFor((frames) => frames.some((f) => f.message?.articleId === second.articleId), 20_000);
    expect((await cards()).filter((c) => c.status === 'failed')).toEqual([]);
    expect(output).not.toMatch(/EMFILE/);

    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  }, 90_000);
});
