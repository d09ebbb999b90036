// Shared test helpers: a publication factory, an HTTP publish call and a recording ws reader.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';
import type { PublicationMessage } from '../../electron/core/adapters/types.ts';
import { waitFor } from '../helpers/temp.ts';

export const SECRET = 'test-secret-0123456789abcdef';

let counter = 0;
export function publication(overrides: Partial<PublicationMessage> = {}): PublicationMessage {
  counter += 1;
  const articleId = overrides.articleId ?? `rec${counter}`;
  const version = overrides.version ?? 1;
  return {
    kind: 'publish',
    articleId,
    version,
    idempotencyKey: `${articleId}:v${version}:${overrides.kind ?? 'publish'}`,
    headline: `Headline ${articleId}`,
    summary: 'A summary.',
    section: 'Local',
    imageUrl: `http://127.0.0.1:9/media/${articleId}-${version}.png`,
    altText: 'An illustration.',
    credit: 'Illustration: AI-generated, Hero Desk',
    publishedAt: Date.now(),
    ...overrides,
  };
}

export async function publish(
  relayUrl: string,
  message: unknown,
  secret = SECRET,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${relayUrl}/publish`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(message),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface Frame {
  type: string;
  seq?: number;
  epoch?: string;
  gap?: boolean;
  message?: PublicationMessage;
}

export interface RecordingReader {
  ws: WebSocket;
  frames: Frame[];
  articles(): Frame[];
  waitFor(predicate: (frames: Frame[]) => boolean, timeoutMs?: number): Promise<void>;
  closed: Promise<{ code: number }>;
}

export async function connectReader(wsUrl: string, query = '', options: ClientOptions = {}): Promise<RecordingReader> {
  const ws = new WebSocket(`${wsUrl}${query}`, options);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')) as Frame);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code: number) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    articles: () => frames.filter((f) => f.type === 'article'),
    waitFor(predicate, timeoutMs = 5000) {
      if (predicate(frames)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting; frames so far: ${JSON.stringify(frames.map((f) => [f.type, f.seq]))}`));
        }, timeoutMs);
        const check = (): void => {
          if (!predicate(frames)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}

export async function health(relayUrl: string): Promise<Record<string, number | string | boolean>> {
  return (await (await fetch(`${relayUrl}/healthz`)).json()) as Record<string, number | string | boolean>;
}

export async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RelayChild {
  child: ChildProcess;
  url: string;
  wsUrl: string;
}

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));

/**
 * `hero-desk relay --port 0 <args>` as a child process (pushed onto `children`, for the test's
 * afterEach to kill), resolved once it prints its publish URL. `refuse` throws on output the relay
 * must never print.
 */
export function spawnRelayCli(
  args: string[],
  children: ChildProcess[],
  env: NodeJS.ProcessEnv = {},
  refuse: (output: string) => void = () => {},
): Promise<RelayChild> {
  const child = spawn(process.execPath, [CLI, 'relay', '--port', '0', ...args], {
    env: { ...process.env, HERO_DESK_RELAY_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`relay exited: ${out}`);
      refuse(out);
      const url = /POST (http:\/\/127\.0\.0\.1:\d+)\/publish/.exec(out)?.[1];
      return url ? { child, url, wsUrl: `${url.replace('http', 'ws')}/ws` } : null;
    },
    15_000,
    'the relay to listen',
  );
}
