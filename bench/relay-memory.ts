// `hero-desk relay` alone, as an operator starts it (bin/hero-desk.mjs relay), holding N reader
// sockets after a few publishes: its RSS next to a bare `ws` broadcast server (bench/bare-ws-broadcast.ts)
// in its own Node process with the same allocator settings, the same readers and the same publishes.
// Readers live in a child process so neither server counts their memory.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { WebSocket } from 'ws';
import { LEAN_ALLOCATOR_ENV } from '../electron/cli/lean-allocator.ts';
import { startBareBroadcast } from './bare-ws-broadcast.ts';
import { isShort, report } from './report.ts';

const CLI = fileURLToPath(new URL('../bin/hero-desk.mjs', import.meta.url));
const SECRET = 'bench-secret-0123456789';
const PUBLISHES = 5;

interface Server {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  auth: Record<string, string>;
}

/** Starts a server process and waits for the line that names its publish URL. */
function startServer(args: string[], env: NodeJS.ProcessEnv, urlPattern: RegExp, auth: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const url = urlPattern.exec(out)?.[1];
      if (url) resolve({ child, url, wsUrl: `${url.replace('http', 'ws')}/ws`, auth });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out.slice(-400)}`)));
  });
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Readers in a child: connect `count` sockets, count the article frames they get, close on request. */
async function readerChild(): Promise<void> {
  const sockets: WebSocket[] = [];
  let frames = 0;
  process.on('message', (message: { kind: 'connect'; wsUrl: string; count: number } | { kind: 'close' }) => {
    // an error here ends the child loudly (unhandled rejection), which is what a bench child should do
    void (async () => {
      if (message.kind === 'connect') {
        const limit = pLimit(200);
        await Promise.all(
          Array.from({ length: message.count }, () =>
            limit(
              () =>
                new Promise<void>((resolve) => {
                  const ws = new WebSocket(message.wsUrl, { perMessageDeflate: false });
                  ws.on('message', (data: Buffer) => {
                    if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'article') frames += 1;
                  });
                  ws.once('open', () => (sockets.push(ws), resolve()));
                  ws.once('error', () => resolve());
                }),
            ),
          ),
        );
        process.send?.({ open: sockets.length });
      } else {
        process.send?.({ frames }, undefined, {}, () => {
          for (const ws of sockets) ws.terminate();
          process.disconnect?.();
        });
      }
    })();
  });
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (reply) => resolve(reply as T));
    child.once('exit', (code) => reject(new Error(`reader child exited (${code})`)));
    child.send(message as object);
  });
}

async function measure(server: Server, readers: number): Promise<{ rss: number; open: number; frames: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--readers'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { open } = await ask<{ open: number }>(child, { kind: 'connect', wsUrl: server.wsUrl, count: readers });
    for (let i = 0; i < PUBLISHES; i++) {
      const message = {
        kind: 'publish',
        articleId: `rec${i}`,
        version: 1,
        idempotencyKey: `rec${i}:v1:publish`,
        headline: `Headline ${i}`,
        summary: 'A summary.',
        section: 'Local',
        imageUrl: `http://127.0.0.1:9/media/rec${i}.png`,
        altText: 'An illustration.',
        credit: 'Illustration: AI-generated, Hero Desk',
        publishedAt: Date.now(),
      };
      const response = await fetch(`${server.url}/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...server.auth },
        body: JSON.stringify(message),
      });
      if (!response.ok) throw new Error(`publish to ${server.url}: HTTP ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rss = rssMiB(server.child.pid!);
    const { frames } = await ask<{ frames: number }>(child, { kind: 'close' });
    return { rss, open, frames };
  } finally {
    child.kill();
    server.child.kill('SIGTERM');
  }
}

export async function main(): Promise<void> {
  const readers = isShort() ? 1_000 : 5_000;
  console.log(
    `relay memory: ${readers.toLocaleString('en')} readers (in a child process), ${PUBLISHES} publishes; RSS of the server process`,
  );
  const env = { ...process.env, ...LEAN_ALLOCATOR_ENV, HERO_DESK_RELAY_SECRET: SECRET };
  const dir = mkdtempSync(join(tmpdir(), 'hd-relay-memory-'));
  try {
    const relay = await measure(
      await startServer(
        [CLI, 'relay', '--port', '0', '--data-file', join(dir, 'relay.db')],
        env,
        /POST (http:\/\/127\.0\.0\.1:\d+)\/publish/,
        { authorization: `Bearer ${SECRET}` },
      ),
      readers,
    );
    const bare = await measure(
      await startServer([fileURLToPath(import.meta.url), '--bare'], env, /bare (http:\/\/127\.0\.0\.1:\d+)/, {}),
      readers,
    );
    console.log(
      `  readers open: relay ${relay.open}, bare ${bare.open}; article frames delivered: relay ${relay.frames}, bare ${bare.frames} (of ${PUBLISHES * readers})`,
    );
    report({
      name: `hero-desk relay RSS with ${readers.toLocaleString('en')} readers`,
      unit: 'MiB',
      project: relay.rss,
      baseline: bare.rss,
      baselineName: 'bare ws broadcast process',
      higherIsBetter: false,
      target: { text: '≤ 1.2× bare ws', met: relay.rss <= 1.2 * bare.rss },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  if (process.argv.includes('--readers')) await readerChild();
  else if (process.argv.includes('--bare')) {
    const server = await startBareBroadcast();
    process.stdout.write(`bare ${server.url}\n`);
  } else await main();
}
