// The bundled WebSocket relay: newsroom publishes over authenticated HTTP, readers' pages
// listen on /ws. For the demo and for sites without a relay of their own. What it has accepted
// lives in a SQLite file (relay-store.ts), so a restart loses nothing and repeats nothing.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { constantTimeEqual, errorMessage, readBodyLimited } from '../base/failures.ts';
import { defaultPerAddress, guardConnections } from '../net/connection-guard.ts';
import { connectionBudget, httpServerOptions, SOCKET_IDLE_TIMEOUT_MS } from '../net/limits.ts';
import { listenOn, type PortChoice } from '../net/listen.ts';
import { READER_APP_SOURCE, READER_PAGE_HTML } from './reader-page.ts';
import { READER_PAGE_CSP } from '../../../shared/csp.ts';
import { READER_SCRIPT_SOURCE } from './reader-script.ts';
import { checkHistoryConfig, openRelayHub, type RelayHistoryConfig } from './relay-hub.ts';
import { checkPublicationMessage } from '../../../shared/publication.ts';
import { relaySettings, type RelayConfig } from './relay-config.ts';
import { createReaderPool } from './relay-readers.ts';
import type { RelayLogger } from './relay-readers.ts';

export type { RelayLogger, RelayConfig };

export interface RelayHandle {
  /** http://host:port — publishers POST to `${url}/publish`. */
  url: string;
  /** ws://host:port/ws — what reader scripts connect to. */
  wsUrl: string;
  port: number;
  /** The demo front page. */
  readerUrl: string;
  epoch: string;
  stop(): Promise<void>;
}

const silentLogger: RelayLogger = { info: () => {}, warn: () => {} };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

/** Where readers should connect, as seen from the request (a proxy in front keeps its own host). */
function wsUrlFor(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  if (host === undefined || !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host)) return fallback;
  const secure =
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https';
  return `${secure ? 'wss' : 'ws'}://${host}/ws`;
}

const isLoopbackOrigin = (origin: string): boolean => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin);

/** Shared by every upgrading socket (`this`), not a closure each. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${extraHeaders}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startRelay(
  config: RelayConfig & { logger?: RelayLogger; portChoice?: PortChoice; history?: RelayHistoryConfig },
): Promise<RelayHandle> {
  const logger = config.logger ?? silentLogger;
  const options = relaySettings(config);
  const history = checkHistoryConfig(config.history);
  const hub = await openRelayHub({ ...options, history, logger });
  const pool = createReaderPool(hub, { heartbeatMs: options.heartbeatMs, maxBufferedBytes: options.maxBufferedBytes, logger });
  hub.subscribe?.((frame) => pool.broadcast(frame));
  if (history) logger.info({ schema: history.schema ?? 'hero_desk' }, 'relay: history shared in PostgreSQL (dataFile unused)');
  const allowed = new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const maxConnections = options.maxConnections ?? connectionBudget();
  // Readers never take the last slots: publishes and page loads always find room.
  const maxReaders = maxConnections - Math.max(8, Math.floor(maxConnections / 20));
  let ownWsUrl = '';

  const authorized = (header: string | undefined): boolean => {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    return constantTimeEqual(match?.[1], options.publishSecret);
  };

  async function publish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req.headers.authorization)) {
      req.resume();
      return sendJson(res, 401, { ok: false, error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
    }
    const body = await readBodyLimited(req, options.maxPublishBytes);
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
    const parsed = checkPublicationMessage(json);
    if (!parsed.ok) return sendJson(res, 400, { ok: false, error: 'invalid message', issues: parsed.issues });
    // committed here, before anyone hears of it; a store failure answers 500 and the publisher retries
    const result = await hub.accept(parsed.message);
    if (result.frame !== null) pool.broadcast(result.frame);
    logger.info({ seq: result.seq, articleId: parsed.message.articleId, duplicate: result.duplicate }, 'relay: publish');
    sendJson(res, 200, { ok: true, seq: result.seq, duplicate: result.duplicate });
  }

  function route(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const { pathname } = new URL(req.url ?? '/', 'http://relay');
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (pathname === '/publish') return req.method === 'POST' ? publish(req, res) : sendJson(res, 405, { ok: false }, { Allow: 'POST' });
    if (pathname === '/healthz' && get)
      return sendJson(res, 200, {
        ok: true,
        epoch: hub.epoch,
        seq: hub.seq,
        history: hub.historySize,
        ...pool.stats(),
        connections: guard.stats(),
      });
    // discovery: where readers connect now (the reader script asks before connecting and after failures)
    if (pathname === '/relay.json' && get)
      return sendJson(res, 200, { wsUrl: wsUrlFor(req, ownWsUrl), epoch: hub.epoch }, { 'Access-Control-Allow-Origin': '*' });
    if (pathname === '/reader.js' && get)
      return sendText(res, 200, 'text/javascript', READER_SCRIPT_SOURCE, {
        'Cache-Control': 'no-cache',
        'Access-Control-Allow-Origin': '*',
      });
    if (pathname === '/reader-app.js' && get)
      return sendText(res, 200, 'text/javascript', READER_APP_SOURCE, { 'Cache-Control': 'no-cache' });
    if (pathname === '/reader' && get)
      return sendText(res, 200, 'text/html', READER_PAGE_HTML, { 'Cache-Control': 'no-cache', 'Content-Security-Policy': READER_PAGE_CSP });
    if (pathname === '/' && get) {
      res.writeHead(302, { Location: '/reader' });
      return void res.end();
    }
    sendJson(res, 404, { ok: false, error: 'not found' });
  }

  const server = createServer(httpServerOptions(), (req, res) => {
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      logger.warn({ error: errorMessage(error) }, 'relay: request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' });
      else res.destroy();
    });
  });
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  const guard = guardConnections(server, {
    maxConnections,
    maxPerAddress: options.maxPerAddress ?? defaultPerAddress(maxConnections),
    tracksUpgrades: true,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'Not Found');
    const origin = req.headers.origin?.toLowerCase();
    // The relay's own /reader page is always welcome; other pages only when listed.
    const sameOrigin =
      origin !== undefined && req.headers.host !== undefined && origin.replace(/^https?:\/\//, '') === req.headers.host.toLowerCase();
    const localPage = options.allowLoopbackOrigins && origin !== undefined && isLoopbackOrigin(origin);
    if (allowed.size > 0 && !sameOrigin && !localPage && (origin === undefined || !allowed.has(origin))) {
      logger.warn({ origin: origin ?? null }, 'relay: reader origin rejected');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (pool.stats().readers >= maxReaders) {
      // the reader script retries with backoff; nothing is lost (it resumes from since=)
      return rejectUpgrade(socket, 503, 'Service Unavailable', 'Retry-After: 10\r\n');
    }
    const since = Number.parseInt(url.searchParams.get('since') ?? '0', 10);
    const epoch = url.searchParams.get('epoch');
    pool.wss.handleUpgrade(req, socket, head, (ws) => pool.admit(ws, Number.isSafeInteger(since) && since > 0 ? since : 0, epoch || null));
  });

  const choice = config.portChoice ?? { port: options.port, explicit: true, setting: 'port', flag: '--relay-port' };
  let port: number;
  try {
    port = await listenOn(server, options.host, 'relay', choice, (message) => logger.warn({ flag: choice.flag }, message));
  } catch (error) {
    await pool.close();
    await hub.close();
    throw error;
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  ownWsUrl = `ws://${host}:${port}/ws`;
  logger.info(
    { url, dataFile: options.dataFile, epoch: hub.epoch, seq: hub.seq, history: hub.historySize, maxConnections, origins: [...allowed] },
    'relay: listening',
  );
  let stopping: Promise<void> | null = null;
  return {
    url,
    wsUrl: ownWsUrl,
    port,
    readerUrl: `${url}/reader`,
    epoch: hub.epoch,
    stop() {
      stopping ??= (async () => {
        await pool.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await hub.close();
      })();
      return stopping;
    },
  };
}
