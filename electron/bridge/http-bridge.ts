// The headless board transport: the built renderer, the command endpoint and the event socket on one
// port (loopback by default; TLS or behind a proxy on other addresses, listen-config.ts). Commands go straight to `core.dispatch`, which validates them against the shared
// contract, so this file only does transport work: auth, host checks, JSON in and out. With the
// bundled relay it also serves the demo reader page, publicly, and says where the relay is now.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { MAX_PHOTO_BASE64_CHARS, type CommandErrorBody, type DispatchResult } from '../../shared/contract.ts';
import type { CoreApi } from '../core/app/api.ts';
import { defaultPerAddress, guardConnections } from '../core/net/connection-guard.ts';
import { connectionBudget, httpServerOptions, SOCKET_IDLE_TIMEOUT_MS } from '../core/net/limits.ts';
import { listenOn, type PortChoice } from '../core/net/listen.ts';
import { READER_APP_SOURCE, READER_PAGE_HTML } from '../core/relay/reader-page.ts';
import { READER_PAGE_CSP, WEB_BOARD_CSP } from '../../shared/csp.ts';
import { READER_SCRIPT_SOURCE } from '../core/relay/reader-script.ts';
import { attachEventSocket } from './event-socket.ts';
import { allowedNames, bearerToken, corsHeaders, isAllowedHost, newToken, type AllowedNames } from './guards.ts';
import { DESKTOP_APP_ORIGIN } from '../../shared/desktop.ts';
import { clientAddress, createLoginGuard, type LoginGuard } from './login-guard.ts';
import type { DeskActor } from '../core/accounts/accounts.ts';
import type { HttpBindings } from '@hono/node-server';
import { boardOrigin, LOOPBACK_LISTEN, type ListenConfig } from './listen-config.ts';

export interface HttpBridgeOptions {
  core: CoreApi;
  /** Where and how to listen (default: plain HTTP on 127.0.0.1); validated by resolveListenConfig. */
  listen?: ListenConfig;
  /** 0 (the default) lets the OS choose a free port; `portChoice` (a default with fallback) wins. */
  port?: number;
  portChoice?: PortChoice;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token (tests, a restart that keeps its URL); a random 32-byte one otherwise. */
  token?: string;
  logger: Logger;
  /** How often idle sockets are pinged; a socket that misses one ping is dropped. */
  heartbeatMs?: number;
  /**
   * The bundled relay's reader WebSocket URL now (null while it is down). Given: the bridge serves
   * the demo reader page at /reader (no token) and answers GET /relay.json with it.
   */
  relayWsUrl?: () => string | null;
  /** Connections held at once; default: the board's share of the open-file budget. */
  maxConnections?: number;
  /**
   * Pages on other origins that may use this desk with a token: the desktop app's board
   * (DESKTOP_APP_ORIGIN) by default. Tests add the origin their stand-in desktop page runs on.
   */
  appOrigins?: readonly string[];
}

export interface HttpBridge {
  /** The board's address, token included in the fragment (never sent to the server by browsers). */
  url: string;
  /** The origin browsers use (https://desk.example.com behind a proxy). */
  origin: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

const MAX_COMMAND_BYTES = 256 * 1024;
/** An editor's photo travels as base64 in its command: that one command may carry the photo limit. */
const LARGE_COMMANDS: Record<string, number> = { uploadImage: MAX_PHOTO_BASE64_CHARS + 64 * 1024 };

function failure(code: CommandErrorBody['code'], message: string): DispatchResult {
  return { ok: false, error: { code, message } };
}

const PUBLIC_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' };

/** The demo reader page and what it needs: public (readers hold no token), with the page's own CSP. */
function serveReaderPage(app: Hono<Env>, relayWsUrl: () => string | null): void {
  const script = (source: string) => (): Response =>
    new Response(source, { headers: { ...PUBLIC_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' } });
  app.get(
    '/reader',
    () =>
      new Response(READER_PAGE_HTML, {
        headers: { ...PUBLIC_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': READER_PAGE_CSP },
      }),
  );
  app.get('/reader.js', script(READER_SCRIPT_SOURCE));
  app.get('/reader-app.js', script(READER_APP_SOURCE));
  app.get('/relay.json', () => {
    const wsUrl = relayWsUrl();
    const headers = { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' };
    return wsUrl === null
      ? Response.json({ wsUrl: null, error: 'the relay is not running' }, { status: 503, headers: { ...headers, 'Retry-After': '5' } })
      : Response.json({ wsUrl }, { headers });
  });
}

type Env = { Bindings: HttpBindings; Variables: { actor: DeskActor } };

function buildApp(
  options: HttpBridgeOptions,
  login: LoginGuard,
  behindProxy: boolean,
  names: () => AllowedNames,
  origin: () => string,
): Hono<Env> {
  const { core, logger, rendererDir } = options;
  const app = new Hono<Env>();

  // before the Host check: a reader page is public, whatever name it was reached by
  if (options.relayWsUrl) serveReaderPage(app, options.relayWsUrl);

  app.use('*', async (c, next) => {
    if (!isAllowedHost(c.req.header('host'), names())) return c.text('forbidden host', 403);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    await next();
  });

  // the desktop app's board calls from app://board: a preflight, then the answer it may read
  const appOrigins = options.appOrigins ?? [DESKTOP_APP_ORIGIN];
  app.use('/api/commands/*', async (c, next) => {
    const cors = corsHeaders(c.req.header('origin'), appOrigins);
    if (c.req.method === 'OPTIONS') return cors ? c.body(null, 204, cors) : c.text('forbidden origin', 403);
    await next();
    if (cors) for (const [name, value] of Object.entries(cors)) c.res.headers.set(name, value);
  });

  const requireToken: MiddlewareHandler<Env> = async (c, next) => {
    const result = await login.check(bearerToken(c.req.header('authorization')), clientAddress(c.env.incoming, behindProxy));
    if (!result.ok) {
      if (result.status === 429) {
        c.header('Retry-After', String(result.retryAfterSeconds ?? 60));
        return c.json(
          failure('unauthorized', `too many failed logins from this address; try again in ${result.retryAfterSeconds ?? 60} s`),
          429,
        );
      }
      return c.json(failure('unauthorized', 'missing or wrong token'), 401);
    }
    c.set('actor', result.actor);
    await next();
  };
  const tooLarge = (maxSize: number): MiddlewareHandler =>
    bodyLimit({
      maxSize,
      onError: (c) => c.json(failure('invalid_input', `request body too large (at most ${Math.floor(maxSize / 1024)} KiB)`), 413),
    });
  const smallBody = tooLarge(MAX_COMMAND_BYTES);
  const largeBodies = new Map(Object.entries(LARGE_COMMANDS).map(([name, size]) => [name, tooLarge(size)]));
  const limitBody: MiddlewareHandler = (c, next) => (largeBodies.get(c.req.param('name') ?? '') ?? smallBody)(c, next);

  app.post('/api/commands/:name', requireToken, limitBody, async (c) => {
    const text = await c.req.text();
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        return c.json(failure('invalid_input', 'request body is not valid JSON'), 400);
      }
    }
    const name = c.req.param('name');
    const result = await core.dispatch(name, input, c.get('actor'));
    // the board links to the reader page this bridge serves: it follows the relay across restarts
    if (name === 'appInfo' && result.ok && options.relayWsUrl) {
      return c.json({ ok: true, value: { ...(result.value as object), readerUrl: `${origin()}/reader` } }, 200);
    }
    return c.json(result, 200);
  });
  app.all('/api/*', (c) => c.json(failure('unknown_command', 'no such endpoint'), 404));

  // The renderer may be (re)built while the bridge runs, so look for it per request. serveStatic is
  // made only once the folder exists: made earlier, it prints its own plain line to stderr, which
  // breaks --json-logs (every line of the log must be JSON). The missing board goes through the logger.
  let assets: MiddlewareHandler<Env> | null = null;
  let saidUnbuilt = false;
  app.use('*', async (c, next) => {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      if (!saidUnbuilt)
        logger.warn({ rendererDir }, 'the board is not built (no index.html): run npm run build; the API and event socket work without it');
      saidUnbuilt = true;
      return c.text('board not built: run npm run build', 503);
    }
    const serve = (assets ??= serveStatic({ root: rendererDir }));
    c.header('Content-Security-Policy', WEB_BOARD_CSP);
    c.header('Cache-Control', c.req.path === '/' || c.req.path.endsWith('.html') ? 'no-store' : 'no-cache');
    // hono types this route's input as any; the static handler reads no input
    return serve(c as Parameters<typeof serve>[0], next);
  });
  app.notFound((c) => c.text('not found', 404));
  app.onError((error, c) => {
    logger.error({ err: error.message, path: c.req.path }, 'board bridge request failed');
    return c.json(failure('internal', 'internal error'), 500);
  });
  return app;
}

export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const listen = options.listen ?? LOOPBACK_LISTEN;
  const host = listen.host;
  const token = options.token ?? newToken();
  let boundPort = 0;
  let names = allowedNames(0);
  const origin = () => boardOrigin(listen, boundPort);
  const login = createLoginGuard({ deskToken: token, accounts: options.core.accounts, logger: options.logger });
  const app = buildApp(options, login, listen.behindProxy, () => names, origin);
  const server = (
    listen.tls
      ? createAdaptorServer({
          fetch: app.fetch,
          hostname: host,
          createServer: createHttpsServer,
          serverOptions: { ...httpServerOptions(), cert: listen.tls.cert, key: listen.tls.key },
        })
      : createAdaptorServer({ fetch: app.fetch, hostname: host, serverOptions: httpServerOptions() })
  ) as Server;
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  const maxConnections = options.maxConnections ?? connectionBudget('board');
  guardConnections(server, { maxConnections, maxPerAddress: defaultPerAddress(maxConnections), tracksUpgrades: true });
  const events = attachEventSocket({
    server,
    core: options.core,
    login,
    behindProxy: listen.behindProxy,
    names: () => names,
    logger: options.logger,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  });

  const choice =
    listen.port !== null
      ? { port: listen.port, explicit: true, setting: '--listen', flag: '--listen' }
      : (options.portChoice ?? { port: options.port ?? 0, explicit: true, setting: '--board-port', flag: '--board-port' });
  try {
    boundPort = await listenOn(server, host, 'board', choice, (message) => options.logger.warn(message));
  } catch (error) {
    await events.close();
    throw error;
  }
  names = allowedNames(boundPort, origin(), options.appOrigins ?? [DESKTOP_APP_ORIGIN]);
  options.logger.info(
    { host, port: boundPort, origin: origin(), tls: listen.tls !== null, behindProxy: listen.behindProxy },
    'board bridge listening',
  );

  let stopping: Promise<void> | null = null;
  return {
    url: `${origin()}/#token=${token}`,
    origin: origin(),
    port: boundPort,
    token,
    stop() {
      stopping ??= (async () => {
        await events.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        options.logger.info('board bridge stopped');
      })();
      return stopping;
    },
  };
}
