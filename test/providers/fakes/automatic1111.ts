// Fake AUTOMATIC1111 / Forge API (reference §4.1): POST /sdapi/v1/txt2img → {images:[bare base64 PNG],
// parameters, info:"<json string>"}; optional --api-auth HTTP Basic; errors as {error, detail, body, errors}.
import { delay, isRecord, jsonBody, makePng, sendJson, startLoopback } from './server.ts';
import type { LoopbackServer } from './server.ts';

export type A1111Failure = 'server' | 'slow';

export interface FakeA1111 extends LoopbackServer {
  calls: Record<string, unknown>[];
  failures: A1111Failure[];
  slowMs: number;
  /** Told when a txt2img request starts (after validation) and when its image has been sent. */
  onCall: ((body: Record<string, unknown>) => void) | null;
  onAnswer: ((body: Record<string, unknown>) => void) | null;
}

export interface FakeA1111Options {
  basicAuth?: string;
  /** Time each txt2img takes, like a real GPU (default 0). */
  latencyMs?: () => number;
  /** The image to return; default a solid-colour PNG (which the local scorer calls blank). */
  image?: (width: number, height: number, seed: number) => Promise<Buffer>;
}

const SAMPLERS = ['Euler', 'Euler a', 'DPM++ 2M', 'DPM++ SDE', 'UniPC'];

export async function startFakeA1111(opts: FakeA1111Options = {}): Promise<FakeA1111> {
  const state = {
    calls: [] as Record<string, unknown>[],
    failures: [] as A1111Failure[],
    slowMs: 5_000,
    onCall: null as FakeA1111['onCall'],
    onAnswer: null as FakeA1111['onAnswer'],
  };
  const expectedAuth = opts.basicAuth ? `Basic ${Buffer.from(opts.basicAuth).toString('base64')}` : null;

  const server = await startLoopback(async (req, res, raw) => {
    if (expectedAuth && req.headers.authorization !== expectedAuth) {
      return sendJson(res, 401, { detail: 'Incorrect username or password' }, { 'www-authenticate': 'Basic' });
    }
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && path === '/sdapi/v1/sd-models') {
      return sendJson(res, 200, [{ title: 'sd_xl_base_1.0.safetensors [31e35c80fc]', model_name: 'sd_xl_base_1.0' }]);
    }
    if (req.method !== 'POST' || path !== '/sdapi/v1/txt2img') return sendJson(res, 404, { detail: 'Not Found' });

    const body = jsonBody(raw);
    if (!isRecord(body) || typeof body.prompt !== 'string') {
      return sendJson(res, 422, { detail: [{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }] });
    }
    const sampler = body.sampler_name ?? 'Euler';
    if (typeof sampler !== 'string' || !SAMPLERS.includes(sampler)) {
      return sendJson(res, 404, { error: 'HTTPException', detail: 'Sampler not found', body: '', errors: '' });
    }
    state.calls.push(body);
    state.onCall?.(body);
    const latency = opts.latencyMs?.() ?? 0;
    if (latency > 0) await delay(latency, req);
    const failure = state.failures.shift();
    if (failure === 'slow') await delay(state.slowMs, req);
    if (failure === 'server') {
      return sendJson(res, 500, {
        error: 'OutOfMemoryError',
        detail: '',
        body: '',
        errors: 'CUDA out of memory. Tried to allocate 2.00 GiB',
      });
    }
    const width = typeof body.width === 'number' ? body.width : 512;
    const height = typeof body.height === 'number' ? body.height : 512;
    const seed = typeof body.seed === 'number' && body.seed >= 0 ? body.seed : 3_141_592;
    const png = opts.image ? await opts.image(width, height, seed) : await makePng(width, height, { r: 120, g: 60, b: 30 });
    res.once('finish', () => state.onAnswer?.(body));
    sendJson(
      res,
      200,
      {
        images: [png.toString('base64')],
        parameters: body,
        info: JSON.stringify({ prompt: body.prompt, seed, all_seeds: [seed], sd_model_name: 'sd_xl_base_1.0', width, height }),
      },
      { 'x-process-time': '0.05' },
    );
  });

  return Object.assign(state, server);
}
