// Runs the browser reader script as shipped (GET /reader.js) in a bare VM context whose only
// browser API is Node's own WHATWG WebSocket, against a real relay.
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { PublicationMessage } from '../../electron/core/adapters/types.ts';
import { startRelay } from '../../electron/core/relay/relay-server.ts';
import type { RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { SECRET, publication, publish, until } from './helpers.ts';

interface ReaderApi {
  connect(options: Record<string, unknown>): { close(): void; lastSeq(): number };
}

let relay: RelayHandle | null = null;
let live: { close(): void } | null = null;

afterEach(async () => {
  live?.close();
  live = null;
  await relay?.stop();
  relay = null;
});

async function loadReaderScript(url: string): Promise<{ api: ReaderApi; sockets: WebSocket[] }> {
  const source = await (await fetch(`${url}/reader.js`)).text();
  const sockets: WebSocket[] = [];
  // Record every socket the script opens, so the test can cut one and watch the reconnect.
  class RecordingWebSocket extends WebSocket {
    constructor(target: string | URL) {
      super(target);
      sockets.push(this);
    }
  }
  const window: Record<string, unknown> = { WebSocket: RecordingWebSocket, URL, setTimeout, clearTimeout, console };
  window.window = window;
  vm.runInNewContext(source, window, { filename: 'reader.js' });
  return { api: window.HeroDeskReader as ReaderApi, sockets };
}

function recorder(): {
  seen: string[];
  onArticle(m: PublicationMessage): void;
  onRetract(m: PublicationMessage): void;
  onStatus(s: string): void;
  statuses: string[];
} {
  const seen: string[] = [];
  const statuses: string[] = [];
  return {
    seen,
    statuses,
    onArticle: (m) => seen.push(`${m.articleId}@${m.version}`),
    onRetract: (m) => seen.push(`retract ${m.articleId}@${m.version}`),
    onStatus: (s) => statuses.push(s),
  };
}

describe('reader script', () => {
  it('hands each article version out once, newest only, and passes retractions', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const { api } = await loadReaderScript(relay.url);
    const hooks = recorder();
    live = api.connect({ url: relay.wsUrl, ...hooks });
    await until(async () => hooks.statuses.includes('live'));
    await publish(relay.url, publication({ articleId: 'a', version: 1 }));
    await publish(relay.url, publication({ articleId: 'a', version: 1, idempotencyKey: 'a-resent' })); // same version, new key
    await publish(relay.url, publication({ articleId: 'a', version: 0, idempotencyKey: 'a-stale' })); // older, late
    await publish(relay.url, publication({ articleId: 'a', version: 2 }));
    await publish(relay.url, publication({ articleId: 'a', version: 3, kind: 'retract', imageUrl: null }));
    await until(async () => hooks.seen.length === 3);
    expect(hooks.seen).toEqual(['a@1', 'a@2', 'retract a@3']);
  });

  it('reconnects after a drop and catches up from its last position without repeats', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const { api, sockets } = await loadReaderScript(relay.url);
    const hooks = recorder();
    const reader = api.connect({ url: relay.wsUrl, minDelayMs: 20, maxDelayMs: 100, ...hooks });
    live = reader;
    await until(async () => hooks.statuses.includes('live'));
    await publish(relay.url, publication({ articleId: 'first' }));
    await until(async () => hooks.seen.length === 1);

    sockets[0]?.close(); // connection lost
    await until(async () => hooks.statuses.includes('offline'));
    await publish(relay.url, publication({ articleId: 'missed-1' }));
    await publish(relay.url, publication({ articleId: 'missed-2' }));
    await until(async () => hooks.seen.length === 3);
    expect(hooks.seen).toEqual(['first@1', 'missed-1@1', 'missed-2@1']);
    expect(sockets[1]?.url).toMatch(/\?since=1&epoch=[0-9a-f]+$/);
    expect(reader.lastSeq()).toBe(3);
  });

  it('survives a relay restart: new epoch, full replay, old versions still deduped', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const { port } = relay;
    const { api } = await loadReaderScript(relay.url);
    const hooks = recorder();
    const reader = api.connect({ url: relay.wsUrl, minDelayMs: 20, maxDelayMs: 100, ...hooks });
    live = reader;
    await until(async () => hooks.statuses.includes('live'));
    await publish(relay.url, publication({ articleId: 'kept', version: 4 }));
    await publish(relay.url, publication({ articleId: 'other' }));
    await until(async () => hooks.seen.length === 2);

    await relay.stop();
    relay = await startRelay({ publishSecret: SECRET, port });
    await publish(relay.url, publication({ articleId: 'kept', version: 4, idempotencyKey: 'kept-again' }));
    await publish(relay.url, publication({ articleId: 'after-restart' }));
    await until(async () => hooks.seen.length === 3, 10_000);
    expect(hooks.seen).toEqual(['kept@4', 'other@1', 'after-restart@1']);
    expect(reader.lastSeq()).toBe(2); // positions restarted with the relay
  });
});
