// Fake Replicate API (reference §5): official-model and version routes, `Prefer: wait=N` holding the
// request until done (capped by holdCapMs so tests stay fast), polling, cancel, 401/402/422/429, and
// output files served from a separate "delivery" host like replicate.delivery.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, isRecord, jsonBody, makePng, sendBytes, sendJson, startLoopback } from './server.ts';
import type { LoopbackServer } from './server.ts';

export type ReplicateFailure = 'failed' | 'nsfw' | 'rate-limit' | 'no-credit';

interface Prediction {
  id: string;
  model: string;
  version: string | null;
  input: Record<string, unknown>;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  doneAt: number;
  failure: ReplicateFailure | undefined;
  createdAt: number;
  polls: number;
}

export interface FakeReplicate extends LoopbackServer {
  /** Base URL to configure: `${url}/v1`. */
  baseUrl: string;
  predictions: Prediction[];
  failures: ReplicateFailure[];
  runMs: number;
  holdCapMs: number;
  /** GET polls that still answer "processing" even when runMs has passed (deterministic polling tests). */
  processingPolls: number;
  /** Statuses to answer the next GET polls with (429 carries Retry-After: 0), before answering normally. */
  pollErrors: number[];
  polls: number;
  cancels: string[];
  createHeaders: Record<string, string | undefined>[];
  /** Authorization headers seen by the delivery host (must stay empty: the token never leaves the API host). */
  deliveryAuth: (string | undefined)[];
}

const OFFICIAL = new Set(['black-forest-labs/flux-schnell', 'black-forest-labs/flux-dev']);
const VERSIONS: Record<string, string> = { '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc': 'stability-ai/sdxl' };

function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { title, detail, status }, headers);
}

export async function startFakeReplicate(opts: { token: string }): Promise<FakeReplicate> {
  const state = {
    predictions: [] as Prediction[],
    failures: [] as ReplicateFailure[],
    runMs: 50,
    holdCapMs: 60_000,
    processingPolls: 0,
    polls: 0,
    pollErrors: [] as number[],
    cancels: [] as string[],
    createHeaders: [] as Record<string, string | undefined>[],
    deliveryAuth: [] as (string | undefined)[],
  };
  const files = new Map<string, Buffer>();
  const delivery = await startLoopback((req, res) => {
    state.deliveryAuth.push(req.headers.authorization);
    const file = files.get(new URL(req.url ?? '/', 'http://fake').pathname);
    if (file) sendBytes(res, 200, file, 'image/png');
    else res.writeHead(404).end('Not found');
  });

  async function view(p: Prediction, base: string): Promise<Record<string, unknown>> {
    if (p.status !== 'canceled' && Date.now() >= p.doneAt && p.polls >= state.processingPolls)
      p.status = p.failure ? 'failed' : 'succeeded';
    else if (p.status === 'starting' && Date.now() >= p.createdAt + 10) p.status = 'processing';
    let output: unknown = null;
    if (p.status === 'succeeded') {
      const path = `/pbxt/${p.id}/out-0.png`;
      if (!files.has(path)) {
        const w = Number(p.input.width ?? 1024);
        const h = Number(p.input.height ?? (p.input.aspect_ratio === '16:9' ? 576 : 1024));
        files.set(path, await makePng(w, h));
      }
      output = [`${delivery.url}${path}`];
    }
    const error =
      p.status !== 'failed'
        ? null
        : p.failure === 'nsfw'
          ? 'NSFW content detected. Try running it again, or try a different prompt.'
          : 'CUDA error: an illegal memory access was encountered';
    const done = p.status === 'succeeded' || p.status === 'failed';
    return {
      id: p.id,
      model: p.model,
      version: p.version ?? 'official',
      input: p.input,
      status: p.status,
      output,
      error,
      logs: '',
      data_removed: false,
      created_at: new Date(p.createdAt).toISOString(),
      metrics: done ? { predict_time: (p.doneAt - p.createdAt) / 1000, total_time: (p.doneAt - p.createdAt) / 1000 } : {},
      urls: { get: `${base}/v1/predictions/${p.id}`, cancel: `${base}/v1/predictions/${p.id}/cancel` },
    };
  }

  async function create(req: IncomingMessage, res: ServerResponse, raw: Buffer, model: string, version: string | null, base: string) {
    const body = jsonBody(raw);
    if (!isRecord(body) || !isRecord(body.input)) return problem(res, 422, 'Input validation failed', 'input is required');
    if (typeof body.input.prompt !== 'string') return problem(res, 422, 'Input validation failed', 'input: prompt is required');
    const failure = state.failures.shift();
    if (failure === 'rate-limit') {
      return problem(res, 429, 'Request was throttled.', 'Request was throttled. Expected available in 2 seconds.', { 'retry-after': '2' });
    }
    if (failure === 'no-credit') return problem(res, 402, 'Insufficient credit', 'You have insufficient credit to run this model.');
    state.createHeaders.push({ prefer: req.headers.prefer?.toString(), contentType: req.headers['content-type'] });
    const now = Date.now();
    const p: Prediction = {
      id: randomUUID().replace(/-/g, '').slice(0, 26),
      model,
      version,
      input: body.input,
      status: 'starting',
      doneAt: now + state.runMs,
      failure,
      createdAt: now,
      polls: 0,
    };
    state.predictions.push(p);
    const wait = /^wait(?:=(\d+))?$/.exec(String(req.headers.prefer ?? ''));
    if (wait) {
      const holdMs = Math.min(Number(wait[1] ?? 60) * 1000, state.holdCapMs);
      await delay(Math.min(holdMs, Math.max(0, p.doneAt - Date.now())), req);
    }
    sendJson(res, 201, await view(p, base));
  }

  const server = await startLoopback(async (req, res, raw) => {
    const base = `http://${req.headers.host ?? ''}`;
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      return problem(res, 401, 'Unauthenticated', 'You did not pass a valid authentication token');
    }
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    let m = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(path);
    if (req.method === 'POST' && m?.[1]) {
      if (!OFFICIAL.has(m[1])) return problem(res, 404, 'Not found', `Model ${m[1]} not found or is not an official model`);
      return create(req, res, raw, m[1], null, base);
    }
    if (req.method === 'POST' && path === '/v1/predictions') {
      const body = jsonBody(raw);
      const version = isRecord(body) && typeof body.version === 'string' ? body.version : '';
      const model = VERSIONS[version];
      if (!model)
        return problem(
          res,
          422,
          'Invalid version or not permitted',
          "The specified version does not exist (or perhaps you don't have permission to use it?)",
        );
      return create(req, res, raw, model, version, base);
    }
    m = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    const p = m ? state.predictions.find((x) => x.id === m?.[1]) : undefined;
    if (m && !p) return problem(res, 404, 'Not found', 'Prediction not found');
    if (p && req.method === 'GET' && !m?.[2]) {
      state.polls++;
      const status = state.pollErrors.shift();
      if (status === 429) return problem(res, 429, 'Request was throttled.', 'Request was throttled.', { 'retry-after': '0' });
      if (status) return problem(res, status, 'Service unavailable', 'Try again');
      p.polls++;
      return sendJson(res, 200, await view(p, base));
    }
    if (p && req.method === 'POST' && m?.[2]) {
      state.cancels.push(p.id);
      if (p.status === 'starting' || p.status === 'processing') p.status = 'canceled';
      return sendJson(res, 200, await view(p, base));
    }
    m = /^\/v1\/models\/([^/]+\/[^/]+)$/.exec(path);
    if (req.method === 'GET' && m?.[1]) {
      if (!OFFICIAL.has(m[1]) && !Object.values(VERSIONS).includes(m[1])) return problem(res, 404, 'Not found', 'Model not found');
      return sendJson(res, 200, { owner: m[1].split('/')[0], name: m[1].split('/')[1], visibility: 'public' });
    }
    problem(res, 404, 'Not found', 'Not found');
  });

  return Object.assign(state, server, {
    baseUrl: `${server.url}/v1`,
    close: async () => {
      await server.close();
      await delivery.close();
    },
  });
}
