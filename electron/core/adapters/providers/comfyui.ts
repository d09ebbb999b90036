// ComfyUI: POST /prompt with a filled-in workflow → poll GET /history/{id} until it finishes →
// GET /view?filename=…&subfolder=…&type=output for the bytes. Polling (not the websocket) keeps one
// code path that also survives a reconnecting server; the interval is configurable.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import type { ImageProvider } from '../types.ts';
import {
  callSignal,
  fetchOrThrow,
  httpError,
  parseJson,
  readBytes,
  readText,
  requireImage,
  silentLogger,
  toAdapterError,
  trimBase,
  truncate,
  tryParseJson,
} from './http.ts';
import type { CallSignal, ProviderDeps } from './http.ts';
import { checkpointName, fillWorkflow, loadWorkflowTemplate, WorkflowBindingsSchema, WorkflowSchema } from './comfyui-workflow.ts';

export const ComfyUiConfigSchema = z
  .strictObject({
    name: z.string().min(1).default('comfyui'),
    baseUrl: z.url().default('http://127.0.0.1:8188'),
    /** API-format workflow ("Save (API)"); omit both this and workflowPath to use the shipped SDXL template. */
    workflow: WorkflowSchema.optional(),
    workflowPath: z.string().min(1).optional(),
    /** Where the request's values go; required with a custom workflow. */
    nodes: WorkflowBindingsSchema.optional(),
    /** Node whose images to take; default: the first node with an output image. */
    outputNode: z.string().min(1).optional(),
    pollIntervalMs: z.number().int().positive().default(500),
    timeoutMs: z.number().int().positive().default(300_000),
    costPerImageUsd: z.number().min(0).default(0),
  })
  .refine((c) => !(c.workflow && c.workflowPath), { message: 'give either workflow or workflowPath, not both' });
export type ComfyUiConfig = z.infer<typeof ComfyUiConfigSchema>;

const QueuedSchema = z.object({ prompt_id: z.string().min(1), node_errors: z.record(z.string(), z.unknown()).optional() });
const ImageRefSchema = z.object({ filename: z.string(), subfolder: z.string().default(''), type: z.string().default('output') });
const HistoryEntrySchema = z.object({
  outputs: z.record(z.string(), z.looseObject({ images: z.array(ImageRefSchema).optional() })).default({}),
  status: z
    .looseObject({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.tuple([z.string(), z.unknown()])).optional(),
    })
    .optional(),
});
type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
const ExecutionErrorSchema = z.looseObject({
  node_type: z.string().optional(),
  exception_type: z.string().optional(),
  exception_message: z.string().optional(),
});

export function createComfyUiProvider(config: ComfyUiConfig, deps: ProviderDeps): ImageProvider {
  const provider = config.name;
  const logger = deps.logger ?? silentLogger;
  const base = trimBase(config.baseUrl);
  const { workflow, bindings } = loadWorkflowTemplate({
    workflow: config.workflow,
    workflowPath: config.workflowPath,
    bindings: config.nodes,
  });
  const model = checkpointName(workflow) ?? 'comfyui';

  async function getJson(path: string, call: CallSignal, callerSignal?: AbortSignal): Promise<unknown> {
    const res = await fetchOrThrow(provider, `${base}${path}`, {}, call, callerSignal);
    const text = await readText(provider, res, call, callerSignal);
    if (!res.ok) throw httpError(provider, res, text);
    return parseJson(provider, text);
  }

  /** A poll that hits a restart or a 502 from a proxy should not lose a job already on the GPU. */
  function pollHistory(id: string, call: CallSignal, callerSignal: AbortSignal): Promise<unknown> {
    return pRetry(() => getJson(`/history/${encodeURIComponent(id)}`, call, callerSignal), {
      retries: 3,
      minTimeout: config.pollIntervalMs,
      signal: call.signal,
      shouldRetry: ({ error }) => error instanceof AdapterError && error.kind === 'retryable',
    });
  }

  async function waitForHistory(id: string, call: CallSignal, callerSignal: AbortSignal): Promise<HistoryEntry> {
    for (;;) {
      const all = z.record(z.string(), z.unknown()).safeParse(await pollHistory(id, call, callerSignal));
      const raw = all.success ? all.data[id] : undefined;
      if (raw !== undefined) {
        const entry = HistoryEntrySchema.safeParse(raw);
        if (!entry.success) throw new AdapterError(`${provider}: unreadable history for ${id}`, 'retryable');
        if (entry.data.status?.status_str === 'error') throw executionError(entry.data);
        const done = entry.data.status?.completed ?? Object.keys(entry.data.outputs).length > 0;
        if (done) return entry.data;
      }
      try {
        await sleep(config.pollIntervalMs, undefined, { signal: call.signal });
      } catch (error) {
        throw toAdapterError(provider, error, call, callerSignal);
      }
    }
  }

  function executionError(entry: HistoryEntry): AdapterError {
    const found = entry.status?.messages?.find(([type]) => type === 'execution_error');
    const parsed = ExecutionErrorSchema.safeParse(found?.[1]);
    const info = parsed.success ? parsed.data : {};
    const text = `${info.node_type ?? 'node'} failed: ${info.exception_type ?? ''} ${info.exception_message ?? ''}`;
    // Out of memory clears once the GPU frees up; anything else (missing model, bad graph) will fail again.
    const kind = /OutOfMemory/i.test(info.exception_type ?? '') ? 'retryable' : 'bad_request';
    return new AdapterError(`${provider}: ${truncate(text)}`, kind);
  }

  /** Best effort: drop the job if still queued, interrupt it if running. Never throws. */
  async function cancel(id: string): Promise<void> {
    const call = callSignal(undefined, 5_000);
    const post = (path: string, body: object) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: call.signal,
      }).then((res) => res.body?.cancel());
    const results = await Promise.allSettled([post('/queue', { delete: [id] }), post('/interrupt', { prompt_id: id })]);
    if (results.some((r) => r.status === 'rejected')) logger.warn({ provider, promptId: id }, 'could not cancel ComfyUI job');
  }

  return {
    name: provider,
    estimateCostUsd: () => config.costPerImageUsd,
    async generate(req) {
      const call = callSignal(req.signal, config.timeoutMs);
      const graph = fillWorkflow(workflow, bindings, {
        prompt: req.prompt,
        negative: req.negativePrompt ?? '',
        seed: req.seed,
        width: req.width,
        height: req.height,
      });
      const res = await fetchOrThrow(
        provider,
        `${base}/prompt`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: graph, client_id: randomUUID() }),
        },
        call,
        req.signal,
      );
      const text = await readText(provider, res, call, req.signal);
      if (!res.ok) throw httpError(provider, res, describeRejection(text));
      const queued = QueuedSchema.safeParse(parseJson(provider, text));
      if (!queued.success) throw new AdapterError(`${provider}: /prompt answered without prompt_id`, 'retryable');
      const id = queued.data.prompt_id;

      let entry: HistoryEntry;
      try {
        entry = await waitForHistory(id, call, req.signal);
      } catch (error) {
        if (call.signal.aborted) await cancel(id);
        throw toAdapterError(provider, error, call, req.signal);
      }
      const image = pickImage(entry);
      if (!image) throw new AdapterError(`${provider}: workflow finished without an output image`, 'bad_request');
      const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder, type: image.type });
      const view = await fetchOrThrow(provider, `${base}/view?${query}`, {}, call, req.signal);
      if (!view.ok) throw httpError(provider, view, await readText(provider, view, call, req.signal));
      const bytes = await readBytes(provider, view, call, req.signal);
      return {
        bytes,
        contentType: requireImage(provider, bytes),
        model,
        costUsd: config.costPerImageUsd,
        seed: bindings.seed ? req.seed : null,
        c2pa: false,
      };
    },
    async check(signal) {
      await getJson('/system_stats', callSignal(signal, 15_000), signal);
    },
  };

  function pickImage(entry: HistoryEntry): z.infer<typeof ImageRefSchema> | undefined {
    const nodes = config.outputNode ? [entry.outputs[config.outputNode]] : Object.values(entry.outputs);
    for (const node of nodes) {
      const image = node?.images?.find((i) => i.type === 'output') ?? node?.images?.[0];
      if (image) return image;
    }
    return undefined;
  }
}

/** 400 bodies: {error:{message,…}, node_errors:{id:{errors:[{message,details}]}}} or {error:"no prompt"}. */
function describeRejection(text: string): string {
  const body = z.looseObject({ error: z.unknown(), node_errors: z.unknown() }).safeParse(tryParseJson(text));
  if (!body.success) return text;
  const error = body.data.error;
  const message = typeof error === 'string' ? error : z.object({ message: z.string() }).safeParse(error).data?.message;
  const nodes = body.data.node_errors && typeof body.data.node_errors === 'object' ? Object.keys(body.data.node_errors) : [];
  return `${message ?? 'invalid prompt'}${nodes.length ? ` (nodes ${nodes.join(', ')})` : ''}`;
}
