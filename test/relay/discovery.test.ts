// Reader discovery: the real reader.js (as the board bridge serves it) in a bare VM context with
// Node's WHATWG WebSocket and fetch, asking the bridge's /relay.json where the bundled relay is.
// The relay restarts on another port with the same data file; the reader follows it and gets the
// next publication, once, resuming from its position.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import type { PublicationMessage } from '../../electron/core/adapters/types.ts';
import { startRelay, type RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { createFakeCore } from '../bridge/fake-core.ts';
import { SECRET, publication, publish, until } from './helpers.ts';

interface ReaderApi {
  connect(options: Record<string, unknown>): { close(): void; lastSeq(): number };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function loadReader(scriptUrl: string): Promise<{ api: ReaderApi; socketUrls: string[] }> {
  const source = await (await fetch(scriptUrl)).text();
  const socketUrls: string[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(target: string | URL) {
      super(target);
      socketUrls.push(String(target));
    }
  }
  const window: Record<string, unknown> = { WebSocket: RecordingWebSocket, URL, fetch, setTimeout, clearTimeout, console };
  window.window = window;
  vm.runInNewContext(source, window, { filename: 'reader.js' });
  return { api: window.HeroDeskReader as ReaderApi, socketUrls };
}

describe('reader discovery through the board bridge', () => {
  it('serves the reader page publicly and follows the relay to a new port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-discovery-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataFile = join(dir, 'relay.sqlite');
    let relay: RelayHandle | null = await startRelay({ publishSecret: SECRET, dataFile });
    cleanups.push(() => relay?.stop());
    const bridge: HttpBridge = await startHttpBridge({
      core: createFakeCore(),
      rendererDir: dir,
      logger: pino({ level: 'silent' }),
      relayWsUrl: () => relay?.wsUrl ?? null,
    });
    cleanups.push(() => bridge.stop());
    const origin = `http://127.0.0.1:${bridge.port}`;

    // public: no token, the page's own CSP; /relay.json names the relay
    const page = await fetch(`${origin}/reader`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' ws: wss:");
    expect(await page.text()).toContain('<script src="/reader-app.js"></script>');
    expect(await (await fetch(`${origin}/reader-app.js`)).text()).toContain("discoverUrl: '/relay.json'");
    const discovery = await fetch(`${origin}/relay.json`);
    expect(discovery.headers.get('access-control-allow-origin')).toBe('*');
    expect(await discovery.json()).toEqual({ wsUrl: relay.wsUrl });

    const { api, socketUrls } = await loadReader(`${origin}/reader.js`);
    const seen: string[] = [];
    const statuses: string[] = [];
    const live = api.connect({
      discoverUrl: `${origin}/relay.json`,
      minDelayMs: 20,
      maxDelayMs: 200,
      onArticle: (m: PublicationMessage) => seen.push(`${m.articleId}@${m.version}`),
      onStatus: (s: string) => statuses.push(s),
    });
    cleanups.push(() => live.close());
    await until(async () => statuses.includes('live'));
    await publish(relay.url, publication({ articleId: 'before' }));
    await until(async () => seen.length === 1);

    // the relay goes away; while it is down the bridge says so
    const oldPort = relay.port;
    await relay.stop();
    relay = null;
    expect((await fetch(`${origin}/relay.json`)).status).toBe(503);
    relay = await startRelay({ publishSecret: SECRET, dataFile });
    expect(relay.port).not.toBe(oldPort);
    await publish(relay.url, publication({ articleId: 'after' }));
    await until(async () => seen.length === 2, 10_000);
    expect(seen).toEqual(['before@1', 'after@1']);
    expect(socketUrls.at(-1)).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${relay.port}/ws\\?since=1&epoch=${relay.epoch}$`));
    expect(live.lastSeq()).toBe(2);
  });

  it('points the board at its own reader page, and serves none without a bundled relay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-discovery-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const core = createFakeCore();
    const base = core.dispatch.bind(core);
    core.dispatch = async (name, input) =>
      name === 'appInfo'
        ? {
            ok: true,
            value: {
              version: 't',
              transport: 'web',
              readerUrl: 'http://127.0.0.1:9/reader',
              autoApproveMinScore: null,
              thresholds: { minScore: 7 },
            },
          }
        : base(name, input);
    const logger = pino({ level: 'silent' });
    const withRelay = await startHttpBridge({ core, rendererDir: dir, logger, relayWsUrl: () => 'ws://127.0.0.1:9/ws' });
    cleanups.push(() => withRelay.stop());
    const info = await fetch(`http://127.0.0.1:${withRelay.port}/api/commands/appInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${withRelay.token}` },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({
      ok: true,
      value: { readerUrl: `http://127.0.0.1:${withRelay.port}/reader`, transport: 'web' },
    });
    const without = await startHttpBridge({ core, rendererDir: dir, logger });
    cleanups.push(() => without.stop());
    expect((await fetch(`http://127.0.0.1:${without.port}/relay.json`)).status).not.toBe(200);
  });

  it('without discovery, stays on the address it was given', async () => {
    const relay = await startRelay({ publishSecret: SECRET });
    cleanups.push(() => relay.stop());
    const { api, socketUrls } = await loadReader(`${relay.url}/reader.js`);
    const statuses: string[] = [];
    const live = api.connect({ url: relay.wsUrl, onStatus: (s: string) => statuses.push(s) });
    cleanups.push(() => live.close());
    await until(async () => statuses.includes('live'));
    expect(socketUrls).toEqual([`${relay.wsUrl}?since=0`]);
  });

  it('the relay answers discovery for itself, from the Host it was reached by', async () => {
    const relay = await startRelay({ publishSecret: SECRET });
    cleanups.push(() => relay.stop());
    const response = await fetch(`${relay.url}/relay.json`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ wsUrl: relay.wsUrl, epoch: relay.epoch });
  });
});
