// Endpoint for an AITable automation's "Send request" action on record creation.
// It only learns a record id (shared secret required) and hands it to the core, which then
// fetches the record through the API: nothing else in the body is trusted.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { constantTimeEqual, errorMessage, readBodyLimited } from '../../base/failures.ts';
import { defaultPerAddress, guardConnections } from '../../net/connection-guard.ts';
import { connectionBudget, httpServerOptions, SOCKET_IDLE_TIMEOUT_MS } from '../../net/limits.ts';
import { listenOn } from '../../net/listen.ts';
import type { AitableLogger } from './config.ts';

export const WEBHOOK_PATH = '/aitable/webhook';
const MAX_BODY_BYTES = 64 * 1024;

export interface WebhookOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The shared secret value (the core reads it from the SecretStore). */
  secret: string;
  onRecord(recordId: string): void | Promise<void>;
  logger?: AitableLogger;
  /** Connections held at once; default: the webhook's share of the open-file budget. */
  maxConnections?: number;
}

export interface WebhookServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const RecordIdSchema = z.string().regex(/^rec[A-Za-z0-9]{3,40}$/);
// the automation may send its "new" flat output or the "old" nested record structure
const BodySchema = z.union([z.object({ recordId: RecordIdSchema }), z.object({ record: z.object({ id: RecordIdSchema }) })]);

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function parseBody(text: string, contentType: string): unknown {
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function startWebhookServer(options: WebhookOptions): Promise<WebhookServer> {
  if (!options.secret) throw new Error('AITable webhook: a shared secret is required');
  // an automation sends one small request and waits a few seconds at most
  const server = createServer(httpServerOptions({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000 }), (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.logger?.warn({ error: errorMessage(error) }, 'AITable webhook request failed');
      if (!res.headersSent) reply(res, 500, { ok: false, error: 'internal error' });
    });
  });
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  const maxConnections = options.maxConnections ?? connectionBudget('webhook');
  guardConnections(server, { maxConnections, maxPerAddress: defaultPerAddress(maxConnections) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://webhook.local');
    if (url.pathname !== WEBHOOK_PATH) return reply(res, 404, { ok: false, error: 'not found' });
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return reply(res, 405, { ok: false, error: 'method not allowed' });
    }
    const header = req.headers['x-hero-desk-secret'];
    const given = (typeof header === 'string' ? header : null) ?? url.searchParams.get('secret');
    if (!constantTimeEqual(given, options.secret)) {
      req.resume();
      return reply(res, 401, { ok: false, error: 'bad or missing secret' });
    }
    const body = await readBodyLimited(req, MAX_BODY_BYTES);
    if (body === null) {
      res.once('finish', () => req.destroy()); // the rest of the body is not read
      res.setHeader('Connection', 'close');
      return reply(res, 413, { ok: false, error: 'body too large' });
    }
    const text = body.toString('utf8');
    const parsed = BodySchema.safeParse(parseBody(text, req.headers['content-type'] ?? ''));
    if (!parsed.success) return reply(res, 400, { ok: false, error: 'body must carry a recordId like "recXXXXXXXXXX"' });
    const recordId = 'recordId' in parsed.data ? parsed.data.recordId : parsed.data.record.id;
    // accepted now; the core fetches the record by id (an automation does not retry slow replies)
    void Promise.resolve()
      .then(() => options.onRecord(recordId))
      .catch((error: unknown) => options.logger?.warn({ recordId, error: errorMessage(error) }, 'AITable webhook handler failed'));
    reply(res, 202, { ok: true, recordId });
  }

  const choice = { port: options.port, explicit: true, setting: 'source.webhook.port', flag: 'source.webhook.port' };
  const port = await listenOn(server, options.host, 'AITable webhook', choice, () => {});
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${WEBHOOK_PATH}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
