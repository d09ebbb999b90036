// Publish → delivered latency of the bundled relay with many reader sockets on loopback.
// Readers live in child processes (forked from this file) so the relay process keeps its own
// file-descriptor budget; each child opens its share of sockets and timestamps every delivery.
// Clock: performance.timeOrigin + performance.now() in both processes (same system clock).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { WebSocket } from 'ws';
import { startRelay } from '../electron/core/relay/relay-server.ts';
import { startBareBroadcast, type BroadcastTarget } from './bare-ws-broadcast.ts';
import { isShort, machine, percentile, report } from './report.ts';

const CHILD_FLAG = 'HD_RELAY_BENCH_CHILD';
const SOCKETS_PER_CHILD = 5000;
const ROUNDS = 20;
const ROUND_GAP_MS = 150;
const SECRET = 'bench-secret-0123456789';
const now = (): number => performance.timeOrigin + performance.now();

type ToChild = { kind: 'connect'; wsUrl: string; count: number } | { kind: 'finish' };
type FromChild =
  { kind: 'connected'; open: number; failed: number; firstError: string | null } | { kind: 'samples'; samples: number[]; missing: number };

// ---------- child: holds reader sockets ----------
async function runChild(): Promise<void> {
  const sockets: WebSocket[] = [];
  const samples: number[] = [];
  const send = (message: FromChild, then?: () => void): void => void process.send?.(message, undefined, {}, () => then?.());
  process.on('message', (message: ToChild) => {
    // an error here ends the child loudly (unhandled rejection), which is what a bench child should do
    void (async () => {
      if (message.kind === 'connect') {
        let failed = 0;
        let firstError: string | null = null;
        const limit = pLimit(200); // stay under the listen backlog
        await Promise.all(
          Array.from({ length: message.count }, () =>
            limit(
              () =>
                new Promise<void>((resolve) => {
                  const ws = new WebSocket(message.wsUrl, { perMessageDeflate: false });
                  ws.on('message', (data: Buffer) => {
                    const frame = JSON.parse(data.toString('utf8')) as { type: string; message?: { publishedAt: number } };
                    if (frame.type === 'article' && frame.message) samples.push(now() - frame.message.publishedAt);
                  });
                  ws.once('open', () => {
                    sockets.push(ws);
                    resolve();
                  });
                  ws.once('error', (error: Error) => {
                    failed += 1;
                    firstError ??= error.message;
                    resolve();
                  });
                }),
            ),
          ),
        );
        send({ kind: 'connected', open: sockets.length, failed, firstError });
      } else {
        await new Promise((r) => setTimeout(r, 500)); // let the last round land
        // Disconnect only once the (large) reply is flushed, or the parent never gets it.
        send({ kind: 'samples', samples, missing: sockets.length * ROUNDS - samples.length }, () => {
          for (const ws of sockets) ws.terminate();
          process.disconnect?.();
        });
      }
    })();
  });
}

// ---------- parent: relay + publisher ----------
function request(child: ChildProcess, message: ToChild): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    child.once('message', (reply: FromChild) => resolve(reply));
    child.once('exit', (code) => reject(new Error(`bench child exited (${code})`)));
    child.send(message);
  });
}

/** The project's relay, on a real data file: every publish is committed to SQLite before it is broadcast. */
async function startProjectRelay(): Promise<BroadcastTarget> {
  const dir = mkdtempSync(join(os.tmpdir(), 'hd-relay-bench-'));
  const relay = await startRelay({ publishSecret: SECRET, historyLimit: 10, heartbeatMs: 60_000, dataFile: join(dir, 'relay.sqlite') });
  return {
    url: relay.url,
    wsUrl: relay.wsUrl,
    stop: async () => {
      await relay.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface ScenarioResult {
  open: number;
  ok: boolean;
  p50: number;
  p99: number;
}

async function scenario(readers: number, relay: BroadcastTarget, label: string): Promise<ScenarioResult> {
  const children = Array.from({ length: Math.ceil(readers / SOCKETS_PER_CHILD) }, () =>
    fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_FLAG]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    const started = now();
    const shares = children.map((_, i) => Math.min(SOCKETS_PER_CHILD, readers - i * SOCKETS_PER_CHILD));
    const connected = await Promise.all(children.map((c, i) => request(c, { kind: 'connect', wsUrl: relay.wsUrl, count: shares[i] ?? 0 })));
    let open = 0;
    for (const reply of connected) {
      if (reply.kind !== 'connected') continue;
      open += reply.open;
      if (reply.failed > 0) console.log(`  ${reply.failed} sockets failed to open (first error: ${reply.firstError}); check \`ulimit -n\``);
    }
    console.log(`  ${label}: ${open}/${readers} reader sockets open in ${((now() - started) / 1000).toFixed(1)} s`);

    for (let round = 0; round < ROUNDS; round++) {
      const response = await fetch(`${relay.url}/publish`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          kind: 'publish',
          articleId: `bench-${round}`,
          version: 1,
          idempotencyKey: `bench-${readers}-${round}`,
          headline: 'Bench headline',
          summary: 'Bench summary of typical length for a local news story.',
          section: 'Bench',
          imageUrl: `https://media.example/bench/${round}.png`,
          altText: 'alt',
          credit: 'credit',
          publishedAt: now(),
        }),
      });
      if (!response.ok) throw new Error(`publish failed: ${response.status}`);
      await new Promise((r) => setTimeout(r, ROUND_GAP_MS));
    }
    const replies = await Promise.all(children.map((c) => request(c, { kind: 'finish' })));
    const samples: number[] = [];
    let missing = 0;
    for (const reply of replies) {
      if (reply.kind !== 'samples') continue;
      for (const s of reply.samples) samples.push(s);
      missing += reply.missing;
    }
    samples.sort((a, b) => a - b);
    const fmt = (n: number): string => `${n.toFixed(2)} ms`;
    console.log(
      `  ${label}: ${samples.length} deliveries (${ROUNDS} publishes × ${open} readers, ${missing} missing): ` +
        `p50 ${fmt(percentile(samples, 50))}  p99 ${fmt(percentile(samples, 99))}  max ${fmt(samples.at(-1) ?? Number.NaN)}`,
    );
    return { open, ok: open === readers && missing === 0, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    for (const child of children) if (child.connected) child.kill();
    await relay.stop();
  }
}

export async function main(): Promise<void> {
  console.log(
    `relay publish → delivered latency, loopback, ${ROUNDS} publishes ${ROUND_GAP_MS} ms apart; project relay vs a bare \`ws\` broadcast server, taking turns`,
  );
  // Latency here is mostly CPU scheduling: say how busy the machine was.
  console.log(`machine: ${machine()}`);
  let largestOk = 0;
  for (const readers of isShort() ? [1_000] : [1_000, 10_000]) {
    console.log(`${readers} readers:`);
    try {
      const bare = await scenario(readers, await startBareBroadcast(), 'bare ws');
      const ours = await scenario(readers, await startProjectRelay(), 'relay');
      if (ours.ok) largestOk = readers;
      else console.log(`  incomplete at ${readers} readers (only ${ours.open} sockets opened; likely the open-files limit)`);
      for (const p of ['p50', 'p99'] as const) {
        report({
          name: `relay publish → reader delivery ${p} at ${readers.toLocaleString('en')} readers`,
          unit: 'ms',
          project: ours[p],
          baseline: bare[p],
          baselineName: 'bare ws broadcast',
          higherIsBetter: false,
          ...(p === 'p99' ? { target: { text: 'at the limit of ws (≤ 1.1× bare)', met: ours.p99 <= 1.1 * bare.p99 } } : {}),
        });
      }
    } catch (error) {
      console.log(`  failed at ${readers} readers: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`largest reader count fully served: ${largestOk}`);
}

if (process.env[CHILD_FLAG] === '1') void runChild();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
