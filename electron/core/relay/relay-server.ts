// The bundled WebSocket relay: newsroom publishes over authenticated HTTP, readers' pages
// listen on /ws. For the demo and for sites without a relay of their own.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { READER_APP_SOURCE, READER_PAGE_HTML } from './reader-page.ts';
import { READER_SCRIPT_SOURCE } from './reader-script.ts';
import { createRelayHub } from './relay-hub.ts';
import { PublicationMessageSchema } from './relay-messages.ts';
import { createReaderPool } from './relay-readers.ts';
import type { RelayLogger } from './relay-readers.ts';

export type { RelayLogger };

export const RelayConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  publishSecret: z.string().min(16, 'publishSecret must be at least 16 characters'),
  /** Origins allowed to open /ws (e.g. https://news.example); empty = any. */
  allowedOrigins: z.array(z.string()).default([]),
  historyLimit: z.number().int().min(1).max(100_000).default(200),
  heartbeatMs: z.number().int().min(10).default(15_000),
  maxBufferedBytes: z.number().int().min(1).default(1024 * 1024),
  maxPublishBytes: z.number().int().min(1024).default(256 * 1024),
});
export type RelayConfig = z.input<typeof RelayConfigSchema>;

export interface RelayHandle {
  /** http://host:port — publishers POST to `${url}/publish`. */
  url: string;
  /** ws://host:port/ws — what reader scripts connect to. */
  wsUrl: string;
  port: number;
  /** The demo front page. */
  readerUrl: string;
  stop(): Promise<void>;
}

const silentLogger: RelayLogger = { info: () => {}, warn: () => {} };
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

/** The request body, or null once it passes `limit` (the rest is not read; the connection closes after the 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        req.pause();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks));
      settled = true;
    });
    req.on('error', reject);
  });
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startRelay(config: RelayConfig & { logger?: RelayLogger }): Promise<RelayHandle> {
  const logger = config.logger ?? silentLogger;
  const options = RelayConfigSchema.parse(config);
  const secretDigest = digest(options.publishSecret);
  const hub = createRelayHub({ historyLimit: options.historyLimit });
  const pool = createReaderPool(hub, { heartbeatMs: options.heartbeatMs, maxBufferedBytes: options.maxBufferedBytes, logger });
  const allowed = new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));

  // Constant-time on fixed-length digests, so neither content nor length leaks through timing.
  const authorized = (header: string | undefined): boolean => {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), secretDigest);
  };

  async function publish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req.headers.authorization)) {
      req.resume();
      return sendJson(res, 401, { ok: false, error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
    }
    const body = await readBody(req, options.maxPublishBytes);
    if (body === null) {
      res.on('finish', () => req.destroy());
      return sendJson(res, 413, { ok: false, error: 'body too large' }, { Connection: 'close' });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { ok: false, error: 'body is not JSON' });
    }
    const parsed = PublicationMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      return sendJson(res, 400, { ok: false, error: 'invalid message', issues });
    }
    const result = hub.accept(parsed.data);
    if (result.entry !== null) pool.broadcast(result.entry.frame);
    logger.info({ seq: result.seq, articleId: parsed.data.articleId, duplicate: result.duplicate }, 'relay: publish');
    sendJson(res, 200, { ok: true, seq: result.seq, duplicate: result.duplicate });
  }

  function route(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const { pathname } = new URL(req.url ?? '/', 'http://relay');
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (pathname === '/publish') return req.method === 'POST' ? publish(req, res) : sendJson(res, 405, { ok: false }, { Allow: 'POST' });
    if (pathname === '/healthz' && get) return sendJson(res, 200, { ok: true, epoch: hub.epoch, seq: hub.seq, history: hub.historySize, ...pool.stats() });
    if (pathname === '/reader.js' && get)
      return sendText(res, 200, 'text/javascript', READER_SCRIPT_SOURCE, { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' });
    if (pathname === '/reader-app.js' && get) return sendText(res, 200, 'text/javascript', READER_APP_SOURCE, { 'Cache-Control': 'no-cache' });
    if (pathname === '/reader' && get)
      return sendText(res, 200, 'text/html', READER_PAGE_HTML, {
        'Cache-Control': 'no-cache',
        'Content-Security-Policy':
          "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src http: https: data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'",
      });
    if (pathname === '/' && get) {
      res.writeHead(302, { Location: '/reader' });
      return void res.end();
    }
    sendJson(res, 404, { ok: false, error: 'not found' });
  }

  const server = createServer((req, res) => {
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'relay: request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'Not Found');
    const origin = req.headers.origin?.toLowerCase();
    // The relay's own /reader page is always welcome; other pages only when listed.
    const sameOrigin = origin !== undefined && req.headers.host !== undefined && origin.replace(/^https?:\/\//, '') === req.headers.host.toLowerCase();
    if (allowed.size > 0 && !sameOrigin && (origin === undefined || !allowed.has(origin))) {
      logger.warn({ origin: origin ?? null }, 'relay: reader origin rejected');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const since = Number.parseInt(url.searchParams.get('since') ?? '0', 10);
    const epoch = url.searchParams.get('epoch');
    pool.wss.handleUpgrade(req, socket, head, (ws) => pool.admit(ws, Number.isSafeInteger(since) && since > 0 ? since : 0, epoch || null));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, history: options.historyLimit, origins: [...allowed] }, 'relay: listening');
  return {
    url,
    wsUrl: `ws://${host}:${port}/ws`,
    port,
    readerUrl: `${url}/reader`,
    async stop() {
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
