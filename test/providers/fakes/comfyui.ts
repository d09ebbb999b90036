// Fake ComfyUI server (reference §4.2): POST /prompt queues an API-format graph, the job "runs" for a
// while, GET /history/{id} is {} until it is done, GET /view serves the saved PNG. Supports /queue
// delete and /interrupt (cancellation), a failed execution, and 400 for invalid graphs.
import { randomUUID } from 'node:crypto';
import { isRecord, jsonBody, makePng, sendBytes, sendJson, startLoopback } from './server.ts';
import type { LoopbackServer } from './server.ts';
import { asText } from '../../helpers/text.ts';

export type ComfyFailure = 'missing-model' | 'oom';

interface Job {
  id: string;
  graph: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  doneAt: number;
  failure: ComfyFailure | undefined;
  cancelled: boolean;
  polls: number;
}

export interface FakeComfyUi extends LoopbackServer {
  jobs: Job[];
  failures: ComfyFailure[];
  /** How long a job takes before its history appears… */
  runMs: number;
  /** …and how many history polls answer {} first (deterministic "still running"). */
  emptyPolls: number;
  cancelled: string[];
  historyPolls: number;
}

const KNOWN = new Set(['CheckpointLoaderSimple', 'EmptyLatentImage', 'CLIPTextEncode', 'KSampler', 'VAEDecode', 'SaveImage']);

export async function startFakeComfyUi(): Promise<FakeComfyUi> {
  const state = {
    jobs: [] as Job[],
    failures: [] as ComfyFailure[],
    runMs: 0,
    emptyPolls: 0,
    cancelled: [] as string[],
    historyPolls: 0,
  };
  const files = new Map<string, Buffer>();

  async function history(job: Job): Promise<unknown> {
    if (job.failure) {
      const [node_id, node_type, exception_type, exception_message] =
        job.failure === 'oom'
          ? ['3', 'KSampler', 'torch.OutOfMemoryError', 'CUDA out of memory.']
          : ['4', 'CheckpointLoaderSimple', 'FileNotFoundError', "Model in folder 'checkpoints' with filename 'x.safetensors' not found."];
      return {
        prompt: [0, job.id, job.graph, {}, []],
        outputs: {},
        status: {
          status_str: 'error',
          completed: false,
          messages: [
            ['execution_start', { prompt_id: job.id }],
            ['execution_error', { prompt_id: job.id, node_id, node_type, exception_type, exception_message, traceback: [] }],
          ],
        },
      };
    }
    const outputs: Record<string, unknown> = {};
    for (const [nodeId, node] of Object.entries(job.graph)) {
      if (node.class_type !== 'SaveImage') continue;
      const latent = Object.values(job.graph).find((n) => n.class_type === 'EmptyLatentImage');
      const filename = `${asText(node.inputs.filename_prefix ?? 'ComfyUI')}_${job.id.slice(0, 5)}_.png`;
      if (!files.has(filename))
        files.set(filename, await makePng(Number(latent?.inputs.width ?? 512), Number(latent?.inputs.height ?? 512)));
      outputs[nodeId] = { images: [{ filename, subfolder: '', type: 'output' }] };
    }
    return {
      prompt: [0, job.id, job.graph, {}, Object.keys(outputs)],
      outputs,
      status: {
        status_str: 'success',
        completed: true,
        messages: [
          ['execution_start', { prompt_id: job.id }],
          ['execution_success', { prompt_id: job.id }],
        ],
      },
    };
  }

  const server = await startLoopback(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api(?=\/)/, ''); // every route is also served under /api
    if (req.method === 'GET' && path === '/system_stats') {
      return sendJson(res, 200, { system: { os: 'posix', comfyui_version: '0.3.0' }, devices: [] });
    }
    if (req.method === 'POST' && path === '/prompt') {
      const body = jsonBody(raw);
      if (!isRecord(body) || !isRecord(body.prompt)) {
        return sendJson(res, 400, {
          error: { type: 'no_prompt', message: 'No prompt provided', details: '', extra_info: {} },
          node_errors: [],
        });
      }
      const graph = body.prompt as Job['graph'];
      for (const [id, node] of Object.entries(graph)) {
        if (!isRecord(node) || !KNOWN.has(String(node.class_type))) {
          return sendJson(res, 400, {
            error: {
              type: 'invalid_prompt',
              message: `Cannot execute because node ${String(isRecord(node) ? node.class_type : id)} does not exist.`,
              details: `Node ID '#${id}'`,
              extra_info: {},
            },
            node_errors: {},
          });
        }
      }
      const job: Job = {
        id: randomUUID(),
        graph,
        doneAt: Date.now() + state.runMs,
        failure: state.failures.shift(),
        cancelled: false,
        polls: 0,
      };
      state.jobs.push(job);
      return sendJson(res, 200, { prompt_id: job.id, number: state.jobs.length, node_errors: {} });
    }
    if (req.method === 'GET' && path.startsWith('/history/')) {
      state.historyPolls++;
      const job = state.jobs.find((j) => j.id === decodeURIComponent(path.slice('/history/'.length)));
      if (job) job.polls++;
      if (!job || job.cancelled || Date.now() < job.doneAt || job.polls <= state.emptyPolls) return sendJson(res, 200, {});
      return sendJson(res, 200, { [job.id]: await history(job) });
    }
    if (req.method === 'GET' && path === '/view') {
      const file = url.searchParams.get('type') === 'output' ? files.get(url.searchParams.get('filename') ?? '') : undefined;
      return file ? sendBytes(res, 200, file, 'image/png') : sendJson(res, 404, {});
    }
    if (req.method === 'POST' && (path === '/queue' || path === '/interrupt')) {
      const body = jsonBody(raw);
      const ids = isRecord(body) ? (Array.isArray(body.delete) ? body.delete : [body.prompt_id]) : [];
      for (const id of ids) {
        const job = state.jobs.find((j) => j.id === id);
        if (job) job.cancelled = true;
        if (typeof id === 'string') state.cancelled.push(`${path.slice(1)}:${id}`);
      }
      res.writeHead(200).end();
      return;
    }
    sendJson(res, 404, {});
  });

  return Object.assign(state, server);
}
