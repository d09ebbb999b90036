// A real HTTP server on 127.0.0.1 (port 0) that follows the OpenAI API as described in
// /work/shared/reference/image-providers.md: /v1/models, /v1/images/generations, /v1/responses.
// Tests script failures per endpoint; unscripted calls succeed with realistic bodies.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError, sendJson } from './fake-http.ts';
import { handleImages } from './fake-openai-images.ts';
import { handleResponses } from './fake-openai-responses.ts';
import type { FakeVerdict } from './fake-openai-responses.ts';

export interface FakeModel {
  id: string;
  shutdown_date?: string | null;
  /** Image models: accepts arbitrary WxH (gpt-image-2 / 2.5). */
  customSizes?: boolean;
}

export type FakeEndpoint = 'models' | 'images' | 'responses';

export type FakeStep =
  | { kind: 'moderation_blocked' }
  | { kind: 'content_policy_violation' }
  | { kind: 'rate_limit'; retryAfter?: string; retryAfterMs?: string }
  | { kind: 'insufficient_quota' }
  | { kind: 'unauthorized' }
  | { kind: 'server_error'; status?: number }
  /** Wait, then answer normally (or hang past the client's timeout). */
  | { kind: 'slow'; delayMs: number }
  | { kind: 'raw'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'score'; verdict: Partial<FakeVerdict> }
  | { kind: 'refusal'; message: string }
  | { kind: 'text'; text: string }
  | { kind: 'incomplete' };

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeOpenAI {
  baseURL: string;
  apiKey: string;
  requests: LoggedRequest[];
  /** Queue behaviours for an endpoint; each request consumes one, then defaults resume. */
  script(endpoint: FakeEndpoint, ...steps: FakeStep[]): void;
  /** Queue scores for the vision scorer (regenerate-loop tests). */
  queueScores(...verdicts: Partial<FakeVerdict>[]): void;
  stop(): Promise<void>;
}

export interface FakeOpenAIOptions {
  apiKey?: string;
  models?: FakeModel[];
  /** Shut-down IDs: absent from /v1/models and answered with 404 model_not_found. */
  retired?: string[];
}

export const DEFAULT_FAKE_MODELS: FakeModel[] = [
  { id: 'gpt-image-2', customSizes: true },
  { id: 'gpt-image-2-2026-04-21', customSizes: true },
  { id: 'gpt-image-2.5-flare', customSizes: true },
  { id: 'gpt-image-2.5-sunburst', customSizes: true },
  { id: 'gpt-image-2.6-flare' },
  { id: 'gpt-image-1.5', shutdown_date: '2026-12-01' },
  { id: 'gpt-image-1-mini', shutdown_date: '2026-12-01' },
  { id: 'gpt-5.6-luna' },
  { id: 'gpt-6-luna' },
  { id: 'gpt-4o-mini', shutdown_date: '2027-01-14' },
  { id: 'gpt-4.1-nano', shutdown_date: '2026-10-23' },
];

export interface FakeContext {
  models: FakeModel[];
  retired: Set<string>;
  step: FakeStep | undefined;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? 'sk-test-fake-key-0123456789';
  const models = options.models ?? DEFAULT_FAKE_MODELS;
  const retired = new Set(options.retired ?? ['dall-e-3', 'dall-e-2', 'gpt-image-1']);
  const requests: LoggedRequest[] = [];
  const queues: Record<FakeEndpoint, FakeStep[]> = { models: [], images: [], responses: [] };
  let requestCount = 0;

  const server = createServer((req, res) => {
    void (async () => {
      res.setHeader('x-request-id', `req_fake_${++requestCount}`);
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const endpoint = endpointFor(req.method, path);
      if (!endpoint) return sendError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error', null);
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        return sendError(res, 401, `Incorrect API key provided: ${mask(given)}.`, 'invalid_request_error', 'invalid_api_key');
      }
      const step = queues[endpoint].shift();
      if (step?.kind === 'slow') {
        const finished = await delay(step.delayMs, res);
        if (!finished) return; // client gave up
      } else if (step && (await sendScriptedFailure(res, step))) {
        return;
      }
      const ctx: FakeContext = { models, retired, step };
      if (endpoint === 'models') return sendJson(res, 200, listModels(models));
      if (endpoint === 'images') return handleImages(body, ctx, res);
      return handleResponses(body, ctx, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake crashed: ${String(err)}`, 'server_error', null);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    script: (endpoint, ...steps) => void queues[endpoint].push(...steps),
    queueScores: (...verdicts) => void queues.responses.push(...verdicts.map((verdict) => ({ kind: 'score' as const, verdict }))),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function endpointFor(method: string | undefined, path: string): FakeEndpoint | null {
  if (method === 'GET' && path === '/v1/models') return 'models';
  if (method === 'POST' && path === '/v1/images/generations') return 'images';
  if (method === 'POST' && path === '/v1/responses') return 'responses';
  return null;
}

function listModels(models: FakeModel[]) {
  return {
    object: 'list',
    data: models.map((m) => ({
      id: m.id,
      object: 'model',
      created: 1_776_000_000,
      owned_by: 'system',
      shutdown_date: m.shutdown_date ?? null,
    })),
  };
}

/** Returns true when the step produced the whole response. */
async function sendScriptedFailure(res: ServerResponse, step: FakeStep): Promise<boolean> {
  switch (step.kind) {
    case 'moderation_blocked':
      sendError(
        res,
        400,
        'Your request was rejected by the safety system. If you believe this is an error, contact us. safety_violations=[violence].',
        'image_generation_user_error',
        'moderation_blocked',
        { moderation_details: { moderation_stage: 'input', categories: ['violence'] } },
      );
      return true;
    case 'content_policy_violation':
      sendError(
        res,
        400,
        'Your request was rejected as a result of our safety system.',
        'invalid_request_error',
        'content_policy_violation',
      );
      return true;
    case 'rate_limit': {
      if (step.retryAfter !== undefined) res.setHeader('retry-after', step.retryAfter);
      if (step.retryAfterMs !== undefined) res.setHeader('retry-after-ms', step.retryAfterMs);
      sendError(
        res,
        429,
        'Rate limit exceeded for images per minute in organization org-fake. Limit: 5/1min. Current: 6/1min.',
        'requests',
        'rate_limit_exceeded',
      );
      return true;
    }
    case 'insufficient_quota':
      sendError(
        res,
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        'insufficient_quota',
      );
      return true;
    case 'unauthorized':
      sendError(res, 401, 'Incorrect API key provided: sk-te****6789.', 'invalid_request_error', 'invalid_api_key');
      return true;
    case 'server_error':
      sendError(res, step.status ?? 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
      return true;
    case 'raw':
      for (const [k, v] of Object.entries(step.headers ?? {})) res.setHeader(k, v);
      sendJson(res, step.status, step.body);
      return true;
    default:
      return false;
  }
}

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 5)}${'*'.repeat(8)}${key.slice(-4)}` : '****';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves true after ms, or false as soon as the client disconnects. */
function delay(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(!res.destroyed), ms);
    res.on('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
