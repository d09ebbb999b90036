// Fake AUTOMATIC1111 / Forge API (reference §4.1): POST /sdapi/v1/txt2img → {images:[bare base64 PNG],
// parameters, info:"<json string>"}; optional --api-auth HTTP Basic; errors as {error, detail, body, errors}.
import { delay, isRecord, jsonBody, makePng, sendJson, startLoopback } from './server.ts';
import type { LoopbackServer } from './server.ts';

export type A1111Failure = 'server' | 'slow';

export interface FakeA1111 extends LoopbackServer {
  calls: Record<string, unknown>[];
  failures: A1111Failure[];
  slowMs: number;
}

const SAMPLERS = ['Euler', 'Euler a', 'DPM++ 2M', 'DPM++ SDE', 'UniPC'];

export async function startFakeA1111(opts: { basicAuth?: string } = {}): Promise<FakeA1111> {
  const state = { calls: [] as Record<string, unknown>[], failures: [] as A1111Failure[], slowMs: 5_000 };
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
    const failure = state.failures.shift();
    if (failure === 'slow') await delay(state.slowMs, req);
    if (failure === 'server') {
      return sendJson(res, 500, { error: 'OutOfMemoryError', detail: '', body: '', errors: 'CUDA out of memory. Tried to allocate 2.00 GiB' });
    }
    const width = typeof body.width === 'number' ? body.width : 512;
    const height = typeof body.height === 'number' ? body.height : 512;
    const seed = typeof body.seed === 'number' && body.seed >= 0 ? body.seed : 3_141_592;
    const png = await makePng(width, height, { r: 120, g: 60, b: 30 });
    sendJson(res, 200, {
      images: [png.toString('base64')],
      parameters: body,
      info: JSON.stringify({ prompt: body.prompt, seed, all_seeds: [seed], sd_model_name: 'sd_xl_base_1.0', width, height }),
    }, { 'x-process-time': '0.05' });
  });

  return Object.assign(state, server);
}
