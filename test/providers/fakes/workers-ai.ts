// Fake Cloudflare Workers AI REST API (reference §3): SDXL answers raw PNG, FLUX.1 a JSON envelope
// with base64, FLUX.2 accepts multipart only; errors in the v4 envelope {success:false, errors:[{code,message}]}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, isRecord, jsonBody, makePng, sendBytes, sendJson, startLoopback } from './server.ts';
import type { LoopbackServer } from './server.ts';

export type WorkersAiFailure = 'quota' | 'capacity' | 'server' | 'nsfw' | 'slow';

export interface WorkersAiCall {
  model: string;
  contentType: string;
  fields: Record<string, unknown>;
}

export interface FakeWorkersAi extends LoopbackServer {
  /** Base URL to configure: `${url}/client/v4`. */
  baseUrl: string;
  calls: WorkersAiCall[];
  failures: WorkersAiFailure[];
  slowMs: number;
}

const MODELS = [
  '@cf/stabilityai/stable-diffusion-xl-base-1.0',
  '@cf/bytedance/stable-diffusion-xl-lightning',
  '@cf/black-forest-labs/flux-1-schnell',
  '@cf/black-forest-labs/flux-2-dev',
  '@cf/leonardo/lucid-origin',
];

function cfError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { success: false, errors: [{ code, message }], messages: [], result: null }, headers);
}

export async function startFakeWorkersAi(opts: { account: string; token: string }): Promise<FakeWorkersAi> {
  const state = { calls: [] as WorkersAiCall[], failures: [] as WorkersAiFailure[], slowMs: 5_000 };
  const prefix = `/client/v4/accounts/${opts.account}/ai`;

  async function run(req: IncomingMessage, res: ServerResponse, body: Buffer, model: string): Promise<void> {
    if (!MODELS.includes(model)) return cfError(res, 400, 5007, `No such model ${model} or task`);
    const contentType = req.headers['content-type'] ?? '';
    let fields: Record<string, unknown>;
    if (model.includes('flux-2')) {
      if (!contentType.startsWith('multipart/form-data'))
        return cfError(res, 400, 5006, "Error: required properties at '/' are 'multipart'");
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
      fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `file:${v.name}`]));
    } else {
      const parsed = jsonBody(body);
      if (!isRecord(parsed)) return cfError(res, 400, 5006, 'Error: invalid JSON input');
      fields = parsed;
    }
    if (typeof fields.prompt !== 'string' || fields.prompt.length === 0) {
      return cfError(res, 400, 5006, "Error: required properties at '/' are 'prompt'");
    }
    if (model.endsWith('flux-1-schnell')) {
      const extra = Object.keys(fields).filter((k) => k !== 'prompt' && k !== 'steps');
      if (extra.length) return cfError(res, 400, 5006, `Error: additional properties not allowed: ${extra.join(', ')}`);
      if (typeof fields.steps === 'number' && fields.steps > 8) return cfError(res, 400, 5006, 'Error: /steps must be <= 8');
    }
    state.calls.push({ model, contentType, fields });

    const failure = state.failures.shift();
    if (failure === 'slow') await delay(state.slowMs, req);
    if (failure === 'quota') return cfError(res, 429, 3036, 'You have used up your daily free allocation of 10,000 neurons.');
    if (failure === 'capacity') return cfError(res, 429, 3040, 'Out of capacity for this model', { 'retry-after': '2' });
    if (failure === 'server') return cfError(res, 500, 7000, 'Internal server error');
    if (failure === 'nsfw') return cfError(res, 400, 3030, 'Input prompt contains NSFW content.');

    const width = Number(fields.width ?? 1024);
    const height = Number(fields.height ?? 1024);
    const png = await makePng(model.endsWith('flux-1-schnell') ? 1024 : width, model.endsWith('flux-1-schnell') ? 1024 : height);
    if (model.includes('stable-diffusion')) return sendBytes(res, 200, png, 'image/png');
    sendJson(res, 200, { result: { image: png.toString('base64') }, success: true, errors: [], messages: [] });
  }

  const server = await startLoopback(async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers.authorization !== `Bearer ${opts.token}`) return cfError(res, 401, 10000, 'Authentication error');
    if (req.method === 'POST' && url.pathname.startsWith(`${prefix}/run/`)) {
      return run(req, res, body, decodeURIComponent(url.pathname.slice(`${prefix}/run/`.length)));
    }
    if (req.method === 'GET' && url.pathname === `${prefix}/models/search`) {
      const search = url.searchParams.get('search') ?? '';
      const result = MODELS.filter((m) => m.includes(search)).map((name, i) => ({ id: `m${i}`, name, task: { name: 'Text-to-Image' } }));
      return sendJson(res, 200, { success: true, errors: [], messages: [], result });
    }
    cfError(res, 404, 7003, 'Could not route to this path');
  });

  // Tests tweak calls/failures/slowMs on the returned object; the handler reads them per request.
  return Object.assign(state, server, { baseUrl: `${server.url}/client/v4` });
}
