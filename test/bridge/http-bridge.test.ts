// The board bridge on a real loopback port: real fetch, real node:http requests (to forge Host),
// real WebSocket clients, real renderer files in a temp dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createFakeCore, sampleCard, type FakeCore } from './fake-core.ts';
import { MAX_PHOTO_BASE64_CHARS } from '../../shared/contract.ts';
import { stringContaining } from '../helpers/matchers.ts';
import { frameText } from '../helpers/frames.ts';

const logger = pino({ level: 'silent' });
let dir: string;
let core: FakeCore;
let bridge: HttpBridge;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hd-bridge-'));
  core = createFakeCore();
  bridge = await startHttpBridge({ core, rendererDir: dir, logger, heartbeatMs: 100 });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) if (ws.readyState === WebSocket.OPEN) ws.terminate();
  await bridge.stop();
  await rm(dir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${bridge.port}`;

function command(name: string, body: string, token: string | null = bridge.token) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(`${base()}/api/commands/${name}`, { method: 'POST', headers, body });
}

/** fetch() will not forge a Host header, so use node:http for the rebinding check. */
function getWithHost(host: string, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string> = {}): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events${query}`, { headers });
  ws.on('error', () => {}); // refusals surface as 'unexpected-response'; the error that follows is expected
  sockets.push(ws);
  return ws;
}

function refusal(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => reject(new Error('socket should have been refused')));
  });
}

describe('startHttpBridge', () => {
  it('binds loopback on a chosen port and puts a random token in the URL fragment', async () => {
    expect(bridge.port).toBeGreaterThan(0);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${bridge.token}`);
    const other = await startHttpBridge({ core, rendererDir: dir, logger, token: 'fixed-token' });
    expect(other.token).toBe('fixed-token');
    expect(other.port).not.toBe(bridge.port);
    await other.stop();
  });

  it('refuses commands without the right token', async () => {
    for (const token of [null, 'wrong', `${bridge.token}x`]) {
      const res = await command('approve', JSON.stringify({ articleId: 'rec-1' }), token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(core.calls).toHaveLength(0);
  });

  it('round-trips a command to core.dispatch', async () => {
    const res = await command('approve', JSON.stringify({ articleId: 'rec-1' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: { ok: true } });
    expect(core.calls).toEqual([{ name: 'approve', input: { articleId: 'rec-1' } }]);

    const snap: unknown = await (await command('snapshot', '{}')).json();
    expect(snap).toMatchObject({ ok: true, value: { seq: 3, cards: [{ articleId: 'rec-1' }] } });
  });

  it('answers malformed JSON and invalid input with invalid_input', async () => {
    const malformed = await command('approve', '{"articleId":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const invalid = await command('approve', JSON.stringify({ articleId: '' }));
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const unknown = await command('dropTables', '{}');
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('refuses oversized bodies before parsing them', async () => {
    const res = await command('addDemoArticle', JSON.stringify({ headline: 'x'.repeat(300_000) }));
    expect(res.status).toBe(413);
    expect(core.calls).toHaveLength(0);
  });

  it('lets a photo upload (and only that command) carry the photo limit, and no more', async () => {
    const photo = JSON.stringify({ articleId: 'rec-1', fileName: 'harbour.jpg', dataBase64: 'A'.repeat(5 * 1024 * 1024) });
    const accepted = await command('uploadImage', photo);
    expect(accepted.status).toBe(200);
    expect(core.calls.map((call) => call.name)).toEqual(['uploadImage']);
    // the same size anywhere else is refused unread
    const elsewhere = await command('setPrompt', JSON.stringify({ articleId: 'rec-1', prompt: 'A'.repeat(5 * 1024 * 1024) }));
    expect(elsewhere.status).toBe(413);
    const huge = await command(
      'uploadImage',
      JSON.stringify({ articleId: 'rec-1', fileName: 'x.jpg', dataBase64: 'A'.repeat(MAX_PHOTO_BASE64_CHARS + 100 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'invalid_input', message: stringContaining('too large') } });
    expect(core.calls).toHaveLength(1);
  });

  it('rejects a foreign Host header (DNS rebinding) and accepts localhost', async () => {
    expect(await getWithHost(`evil.example:${bridge.port}`)).toBe(403);
    expect(await getWithHost(`127.0.0.1:${bridge.port + 1}`)).toBe(403);
    expect(await getWithHost(`localhost:${bridge.port}`)).not.toBe(403);
  });

  it('says the board is not built when the renderer is missing', async () => {
    const res = await fetch(`${base()}/`);
    expect(await res.text()).toContain('board not built: run npm run build');
  });

  it('serves the built renderer with a strict CSP', async () => {
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Hero Desk</title>');
    const res = await fetch(`${base()}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Hero Desk</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect((await fetch(`${base()}/missing.js`)).status).toBe(404);
  });

  it('pushes core events to authorised sockets', async () => {
    const ws = openSocket(`?token=${bridge.token}`, { origin: base() });
    await new Promise((resolve) => ws.once('open', resolve));
    const received = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(frameText(data)))));
    const event = { type: 'card', seq: 4, card: sampleCard({ status: 'approved' }) } as const;
    core.emit(event);
    expect(await received).toEqual(event);
  });

  it('refuses sockets with a bad token, a foreign Origin or a foreign Host', async () => {
    expect(await refusal(openSocket('?token=nope'))).toBe(401);
    expect(await refusal(openSocket(`?token=${bridge.token}`, { origin: 'https://evil.example' }))).toBe(403);
    expect(await refusal(openSocket(`?token=${bridge.token}`, { host: `evil.example:${bridge.port}` }))).toBe(403);
  });

  it('pings sockets to detect dead peers', async () => {
    const ws = openSocket(`?token=${bridge.token}`);
    await new Promise((resolve) => ws.once('ping', resolve));
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes sockets with 1001 and unsubscribes from the core on stop', async () => {
    const ws = openSocket(`?token=${bridge.token}`);
    await new Promise((resolve) => ws.once('open', resolve));
    expect(core.listenerCount()).toBe(1);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await bridge.stop();
    expect(await closed).toBe(1001);
    expect(core.listenerCount()).toBe(0);
  });
});

describe('a board that is not built yet', () => {
  it('answers 503 with the next step, and prints nothing that is not JSON (--json-logs stays parseable)', async () => {
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    const missing = join(dir, 'not-built');
    try {
      const unbuilt = await startHttpBridge({ core, rendererDir: missing, logger });
      try {
        const response = await fetch(`http://127.0.0.1:${unbuilt.port}/`);
        expect(response.status).toBe(503);
        expect(await response.text()).toContain('npm run build');
        // built while the bridge runs: served from then on
        await mkdir(missing, { recursive: true });
        await writeFile(join(missing, 'index.html'), '<!doctype html><title>board</title>');
        expect((await fetch(`http://127.0.0.1:${unbuilt.port}/`)).status).toBe(200);
      } finally {
        await unbuilt.stop();
      }
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([]);
  });
});
