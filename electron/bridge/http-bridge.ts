// The headless board transport: the built renderer, the command endpoint and the event socket on one
// loopback port. Commands go straight to `core.dispatch`, which validates them against the shared
// contract, so this file only does transport work: auth, host checks, JSON in and out.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { CommandErrorBody, DispatchResult } from '../../shared/contract.ts';
import type { CoreApi } from '../core/app/api.ts';
import { attachEventSocket } from './event-socket.ts';
import { BOARD_CSP, bearerToken, isLoopbackHost, newToken, tokenMatches } from './guards.ts';

export interface HttpBridgeOptions {
  core: CoreApi;
  /** Loopback only: the bridge has no TLS and trusts whoever holds the token. */
  host?: '127.0.0.1';
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token (tests, a restart that keeps its URL); a random 32-byte one otherwise. */
  token?: string;
  logger: Logger;
  /** How often idle sockets are pinged; a socket that misses one ping is dropped. */
  heartbeatMs?: number;
}

export interface HttpBridge {
  /** The board's address, token included in the fragment (never sent to the server by browsers). */
  url: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

const MAX_COMMAND_BYTES = 256 * 1024;

function failure(code: CommandErrorBody['code'], message: string): DispatchResult {
  return { ok: false, error: { code, message } };
}

function buildApp(options: HttpBridgeOptions, token: string, port: () => number): Hono {
  const { core, logger, rendererDir } = options;
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (!isLoopbackHost(c.req.header('host'), port())) return c.text('forbidden host', 403);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    await next();
  });

  const requireToken: MiddlewareHandler = async (c, next) => {
    if (!tokenMatches(token, bearerToken(c.req.header('authorization')))) {
      return c.json(failure('unauthorized', 'missing or wrong token'), 401);
    }
    await next();
  };
  const limitBody = bodyLimit({
    maxSize: MAX_COMMAND_BYTES,
    onError: (c) => c.json(failure('invalid_input', 'request body too large'), 413),
  });

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
    const result = await core.dispatch(c.req.param('name'), input);
    return c.json(result, 200);
  });
  app.all('/api/*', (c) => c.json(failure('unknown_command', 'no such endpoint'), 404));

  // The renderer may be (re)built while the bridge runs, so look for it per request.
  const assets = serveStatic({ root: rendererDir });
  app.use('*', async (c, next) => {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      return c.text('board not built: run npm run build', 503);
    }
    c.header('Content-Security-Policy', BOARD_CSP);
    c.header('Cache-Control', c.req.path === '/' || c.req.path.endsWith('.html') ? 'no-store' : 'no-cache');
    return assets(c, next);
  });
  app.notFound((c) => c.text('not found', 404));
  app.onError((error, c) => {
    logger.error({ err: error.message, path: c.req.path }, 'board bridge request failed');
    return c.json(failure('internal', 'internal error'), 500);
  });
  return app;
}

export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  let boundPort = 0;
  const app = buildApp(options, token, () => boundPort);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  const events = attachEventSocket({
    server,
    core: options.core,
    token,
    port: () => boundPort,
    logger: options.logger,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  options.logger.info({ port: boundPort }, 'board bridge listening');

  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${boundPort}/#token=${token}`,
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
