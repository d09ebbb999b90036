// Connection caps and timeouts on real loopback sockets: the budget from the open-file limit, the
// guard's eviction rules, and each of our four servers still answering a real request while an
// idle flood fills its cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHttpBridge } from '../../electron/bridge/http-bridge.ts';
import { startWebhookServer } from '../../electron/core/adapters/aitable/webhook.ts';
import { startMediaServer } from '../../electron/core/adapters/embedded/media-server.ts';
import { guardConnections, isLoopbackAddress } from '../../electron/core/net/connection-guard.ts';
import { connectionBudget, httpServerOptions, readOpenFileLimit, reservedDescriptors } from '../../electron/core/net/limits.ts';
import { startRelay } from '../../electron/core/relay/relay-server.ts';
import { createFakeCore } from '../bridge/fake-core.ts';
import { SECRET, publication, publish } from '../relay/helpers.ts';
import { closeAll, openIdle, settle, type HeldSocket } from './helpers.ts';

const held: HeldSocket[] = [];
const stops: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await closeAll(held);
  for (const stop of stops.splice(0).reverse()) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function plainServer(handler: (release: Promise<void>) => Promise<void> | void = () => {}, options = httpServerOptions()) {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const server: Server = createServer(options, (_req, res) => {
    // the handler only waits to be released; http ignores the listener's result
    void (async () => {
      await handler(released);
      res.end('ok');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(async () => {
    release();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { server, port: (server.address() as AddressInfo).port, release: () => release() };
}

async function idle(port: number, count: number, options: Parameters<typeof openIdle>[1] = {}): Promise<HeldSocket[]> {
  const made: HeldSocket[] = [];
  for (let i = 0; i < count; i++) made.push(await openIdle(port, options));
  held.push(...made);
  await settle();
  return made;
}

async function status(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(3000) });
  await response.body?.cancel();
  return response.status;
}

describe('the descriptor budget', () => {
  it('reads the soft open-file limit from /proc/self/limits, with a safe default', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n';
    expect(readOpenFileLimit(text)).toBe(1024);
    expect(readOpenFileLimit('Max open files            unlimited            unlimited            files')).toBeGreaterThan(100_000);
    expect(readOpenFileLimit('nothing useful')).toBe(1024);
  });

  it('leaves a reserve for the board, SQLite and outgoing calls whatever the limit', () => {
    for (const limit of [256, 1024, 4096, 20_000, 1_048_576]) {
      const roles = ['relay', 'media', 'board', 'webhook'] as const;
      const servers = roles.reduce((sum, role) => sum + connectionBudget(role, limit), 0);
      expect(servers + reservedDescriptors(limit)).toBeLessThanOrEqual(limit);
      expect(reservedDescriptors(limit)).toBeGreaterThanOrEqual(128);
    }
    // at ulimit -n 1024 the relay may hold 460 connections: ~560 descriptors stay for everything else
    expect(connectionBudget('relay', 1024)).toBe(460);
    expect(connectionBudget(undefined, 20_000)).toBeGreaterThan(10_000); // a relay-only process serves the 10k bench
  });

  it('knows loopback peers, IPv4-mapped ones included', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.2'].some(isLoopbackAddress)).toBe(false);
  });
});

describe('guardConnections', () => {
  it('at the cap, pushes out the oldest idle connection so a real request is served', async () => {
    const { server, port } = await plainServer();
    const guard = guardConnections(server, { maxConnections: 4, maxPerAddress: 4 });
    const sockets = await idle(port, 4);
    expect(guard.stats()).toMatchObject({ open: 4, waiting: 4 });
    expect(await status(`http://127.0.0.1:${port}/`)).toBe(200);
    await sockets[0]?.closed; // the oldest went
    expect(sockets.slice(1).every((s) => !s.isClosed())).toBe(true);
    expect(guard.stats().evicted).toBe(1);
    expect(guard.stats().open).toBeLessThanOrEqual(4);
  });

  it('never pushes out a request in progress; the newcomer is closed instead', async () => {
    const { server, port, release } = await plainServer((released) => released);
    const guard = guardConnections(server, { maxConnections: 2, maxPerAddress: 2 });
    const inFlight = [fetch(`http://127.0.0.1:${port}/a`), fetch(`http://127.0.0.1:${port}/b`)];
    await settle();
    const extra = await openIdle(port);
    held.push(extra);
    await extra.closed;
    expect(guard.stats()).toMatchObject({ refused: 1, evicted: 0 });
    release();
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('caps each peer address on its own (loopback aliases stand in for two hosts)', async () => {
    const { server, port } = await plainServer();
    const guard = guardConnections(server, { maxConnections: 10, maxPerAddress: 2, exemptLoopback: false });
    const first = await idle(port, 3, { localAddress: '127.0.0.2' });
    await first[0]?.closed; // its own oldest made room
    const other = await idle(port, 2, { localAddress: '127.0.0.3' });
    expect(other.every((s) => !s.isClosed())).toBe(true);
    expect(guard.countFor('127.0.0.2')).toBe(2);
    expect(guard.countFor('127.0.0.3')).toBe(2);
  });

  it('closes idle and slowloris connections after the header timeout', async () => {
    const { port } = await plainServer(undefined, httpServerOptions({ headersTimeoutMs: 400, requestTimeoutMs: 800 }));
    const [silent, slow] = [...(await idle(port, 1)), ...(await idle(port, 1, { slow: true }))];
    const started = Date.now();
    await Promise.all([silent?.closed, slow?.closed]);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe('every server holds its cap under an idle flood and still answers', () => {
  const CAP = 8;

  /** The server kept at most CAP of the flood (on the old code it kept them all). */
  async function expectCapped(sockets: HeldSocket[]): Promise<void> {
    await settle(200);
    expect(sockets.filter((s) => !s.isClosed()).length).toBeLessThanOrEqual(CAP);
  }

  it('the relay: publishes and page loads get through; readers past their share get 503', async () => {
    const relay = await startRelay({ publishSecret: SECRET, maxConnections: CAP });
    stops.push(() => relay.stop());
    const flood = await idle(relay.port, CAP * 2);
    await expectCapped(flood);
    expect((await publish(relay.url, publication())).status).toBe(200);
    expect(await status(`${relay.url}/relay.json`)).toBe(200);
    // readers may take all but the reserved slots (at least 8 of them): here, none
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(relay.wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(refused).toBe(503);
  });

  it('the relay: a crowd of readers is capped below the total, leaving room for publishing', async () => {
    const relay = await startRelay({ publishSecret: SECRET, maxConnections: 20 }); // 12 readers, 8 kept back
    stops.push(() => relay.stop());
    const results = await Promise.all(
      Array.from(
        { length: 16 },
        () =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(relay.wsUrl);
            ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            ws.on('open', () => {
              resolve(101);
              stops.push(async () => ws.terminate());
            });
            ws.on('error', () => {});
          }),
      ),
    );
    expect(results.filter((s) => s === 101)).toHaveLength(12);
    expect(results.filter((s) => s === 503)).toHaveLength(4);
    await idle(relay.port, 10);
    expect((await publish(relay.url, publication())).status).toBe(200);
  });

  it('the media server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-media-cap-'));
    dirs.push(dir);
    const media = await startMediaServer({ dir, maxConnections: CAP });
    stops.push(() => media.stop());
    await expectCapped(await idle(media.port, CAP * 2));
    expect(await status(`${media.baseUrl}/media/none.png`)).toBe(404);
  });

  it('the AITable webhook', async () => {
    const hook = await startWebhookServer({
      host: '127.0.0.1',
      port: 0,
      secret: 'hook-secret-value',
      onRecord: () => {},
      maxConnections: CAP,
    });
    stops.push(() => hook.stop());
    await expectCapped(await idle(hook.port, CAP * 2));
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'X-Hero-Desk-Secret': 'hook-secret-value' },
      body: JSON.stringify({ recordId: 'recCap0000001' }),
    });
    expect(res.status).toBe(202);
    // and a body past the limit is refused without being read
    const big = await fetch(hook.url, {
      method: 'POST',
      headers: { 'X-Hero-Desk-Secret': 'hook-secret-value' },
      body: 'x'.repeat(100_000),
    });
    expect(big.status).toBe(413);
  });

  it('the board bridge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-bridge-cap-'));
    dirs.push(dir);
    const bridge = await startHttpBridge({
      core: createFakeCore(),
      rendererDir: dir,
      logger: pino({ level: 'silent' }),
      maxConnections: CAP,
    });
    stops.push(() => bridge.stop());
    await expectCapped(await idle(bridge.port, CAP * 2));
    const res = await fetch(`http://127.0.0.1:${bridge.port}/api/commands/snapshot`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: '{}',
      signal: AbortSignal.timeout(3000),
    });
    expect(res.status).toBe(200);
  });
});

describe('header size limit', () => {
  it('answers 431 to oversized request headers', async () => {
    const { port } = await plainServer();
    const code = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { 'x-big': 'y'.repeat(20_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(code).toBe(431);
  });
});
