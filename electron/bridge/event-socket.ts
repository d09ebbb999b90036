// Pushes core events to every connected board over WebSocket (`GET /api/events?token=…`).
// One core subscription fans out to all sockets; a socket that stops answering pings, or falls too far
// behind, is dropped. The board reconnects and resyncs with `snapshot`, so dropping is always safe.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CoreApi } from '../core/app/api.ts';
import { isAllowedHost, isAllowedOrigin, type AllowedNames } from './guards.ts';
import { clientAddress, type LoginGuard } from './login-guard.ts';
import type { DeskActor } from '../core/accounts/accounts.ts';

export const EVENTS_PATH = '/api/events';
/** A board this far behind is better served by a fresh snapshot than by a growing buffer. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventSocketOptions {
  server: Server;
  core: CoreApi;
  login: LoginGuard;
  behindProxy: boolean;
  /** The Host and Origin names browsers may use (known once the port is bound). */
  names: () => AllowedNames;
  logger: Logger;
  heartbeatMs: number;
}

export interface EventSocket {
  clientCount(): number;
  /** Says goodbye to every board (close code 1001), then cuts whoever has not answered. */
  close(graceMs?: number): Promise<void>;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachEventSocket(options: EventSocketOptions): EventSocket {
  const { server, core, login, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakMap<WebSocket, boolean>();
  const actors = new WeakMap<WebSocket, DeskActor>();
  const sessionOwners = new Map<string, WebSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const names = options.names();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== EVENTS_PATH) return refuse(socket, 404, 'Not Found');
    if (!isAllowedHost(request.headers.host, names)) return refuse(socket, 403, 'Forbidden');
    if (!isAllowedOrigin(request.headers.origin, names)) return refuse(socket, 403, 'Forbidden');
    void login.check(url.searchParams.get('token'), clientAddress(request, options.behindProxy)).then((result) => {
      if (!result.ok) return refuse(socket, result.status, result.status === 429 ? 'Too Many Requests' : 'Unauthorized');
      wss.handleUpgrade(request, socket, head, (ws) => {
        actors.set(ws, result.actor);
        // a board that names its session is shown to the others while its socket is open
        const session = url.searchParams.get('session');
        if (session && /^[A-Za-z0-9_-]{8,64}$/.test(session) && core.presence) {
          core.presence.join(session, result.actor);
          sessionOwners.set(session, ws);
          // a reconnected board may open its new socket before the old one is seen to close
          ws.once('close', () => {
            if (sessionOwners.get(session) !== ws) return;
            sessionOwners.delete(session);
            core.presence?.leave(session);
          });
        }
        wss.emit('connection', ws, request);
      });
    });
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', (error) => logger.debug({ err: error.message }, 'board socket error'));
    logger.debug({ clients: wss.clients.size }, 'board connected');
  });

  const unsubscribe = core.onEvent((event) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger.warn('board socket too far behind; dropping it so it resyncs');
        ws.terminate();
        continue;
      }
      ws.send(text);
    }
  });

  // Half-open TCP connections never fire 'close'; a missed pong is how we notice them.
  // A revoked account's open board is closed at the next heartbeat, not left reading events.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      const actor = actors.get(ws);
      if (actor && core.accounts && !core.accounts.isActive(actor)) {
        ws.close(4401, 'token revoked');
        continue;
      }
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    clientCount: () => wss.clients.size,
    async close(graceMs = 500) {
      clearInterval(heartbeat);
      unsubscribe();
      server.off('upgrade', onUpgrade);
      const closing = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
            ws.close(1001, 'server shutting down');
          }),
      );
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all(closing), grace]);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
