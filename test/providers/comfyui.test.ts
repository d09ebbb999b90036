import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import { ComfyUiConfigSchema, createComfyUiProvider } from '../../electron/core/adapters/providers/comfyui.ts';
import {
  DEFAULT_SDXL_BINDINGS,
  DEFAULT_SDXL_WORKFLOW,
  fillWorkflow,
  loadWorkflowTemplate,
} from '../../electron/core/adapters/providers/comfyui-workflow.ts';
import { startFakeComfyUi } from './fakes/comfyui.ts';
import type { FakeComfyUi } from './fakes/comfyui.ts';
import { expectAborted, expectAdapterError, imageSize, request, secrets } from './helpers.ts';

let fake: FakeComfyUi;
let tmp: string;
beforeEach(async () => {
  fake = await startFakeComfyUi();
  tmp = await mkdtemp(join(tmpdir(), 'hd-comfy-'));
});
afterEach(async () => {
  await fake.close();
  await rm(tmp, { recursive: true, force: true });
});

function provider(overrides: Record<string, unknown> = {}) {
  return createComfyUiProvider(ComfyUiConfigSchema.parse({ baseUrl: fake.url, pollIntervalMs: 20, ...overrides }), {
    secrets: secrets({}),
  });
}

describe('ComfyUI workflow templates', () => {
  it('fills prompt, negative, seed and size into a copy of the shipped SDXL template', () => {
    const graph = fillWorkflow(DEFAULT_SDXL_WORKFLOW, DEFAULT_SDXL_BINDINGS, {
      prompt: 'harbour',
      negative: 'text',
      seed: 99,
      width: 1790,
      height: 1024,
    });
    expect(graph['6']?.inputs.text).toBe('harbour');
    expect(graph['7']?.inputs.text).toBe('text');
    expect(graph['3']?.inputs.seed).toBe(99);
    expect(graph['5']?.inputs).toMatchObject({ width: 1792, height: 1024 }); // latent sizes snap to multiples of 8
    expect(DEFAULT_SDXL_WORKFLOW['6']?.inputs.text).toBe(''); // the template itself is untouched
  });

  it('rejects a custom workflow without bindings, or bindings to missing nodes/inputs', () => {
    const workflow = { '1': { class_type: 'CLIPTextEncode', inputs: { text: '' } } };
    expect(() => loadWorkflowTemplate({ workflow })).toThrow(AdapterError);
    expect(() => loadWorkflowTemplate({ workflow, bindings: { prompt: { node: '2', input: 'text' } } })).toThrow(/missing node "2"/);
    expect(() => loadWorkflowTemplate({ workflow, bindings: { prompt: { node: '1', input: 'txt' } } })).toThrow(/no input "txt"/);
  });
});

describe('ComfyUI provider', () => {
  it('queues the filled graph, polls history, downloads the output via /view', async () => {
    fake.emptyPolls = 2;
    const image = await provider().generate(request({ width: 1344, height: 768 }));
    const graph = fake.jobs[0]?.graph;
    expect(graph?.['6']?.inputs.text).toBe('A calm watercolour of a harbour at dawn');
    expect(graph?.['7']?.inputs.text).toBe('text, watermark');
    expect(graph?.['3']?.inputs.seed).toBe(4242);
    expect(fake.jobs[0]?.polls).toBe(3); // two 'still running' answers, then the result
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1344, height: 768, format: 'png' });
    expect(image).toMatchObject({ contentType: 'image/png', model: 'sd_xl_base_1.0.safetensors', seed: 4242, costUsd: 0 });
  });

  it('loads a custom workflow file with its own bindings and output node', async () => {
    const workflow = {
      '10': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'juggernaut.safetensors' } },
      '11': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
      '12': { class_type: 'CLIPTextEncode', inputs: { text: 'PROMPT', clip: ['10', 1] } },
      '13': { class_type: 'KSampler', inputs: { noise_seed: 0, seed: 0, model: ['10', 0], positive: ['12', 0], latent_image: ['11', 0] } },
      '14': { class_type: 'VAEDecode', inputs: { samples: ['13', 0], vae: ['10', 2] } },
      '15': { class_type: 'SaveImage', inputs: { filename_prefix: 'custom', images: ['14', 0] } },
    };
    const path = join(tmp, 'workflow.json');
    await writeFile(path, JSON.stringify(workflow));
    const nodes = {
      prompt: { node: '12', input: 'text' },
      seed: { node: '13', input: 'seed' },
      width: { node: '11', input: 'width' },
      height: { node: '11', input: 'height' },
    };
    const image = await provider({ workflowPath: path, nodes, outputNode: '15' }).generate(request({ width: 640, height: 384 }));
    expect(fake.jobs[0]?.graph['12']?.inputs.text).toBe('A calm watercolour of a harbour at dawn');
    expect(image.model).toBe('juggernaut.safetensors');
    expect(await imageSize(image.bytes)).toMatchObject({ width: 640, height: 384 });
  });

  it('a failed execution is a bad request; out of memory is retryable', async () => {
    fake.failures.push('missing-model', 'oom');
    const error = await expectAdapterError(provider().generate(request()), 'bad_request');
    expect(error.message).toContain('FileNotFoundError');
    await expectAdapterError(provider().generate(request()), 'retryable');
  });

  it('an invalid graph gets the 400 message back as a bad request', async () => {
    const workflow = { '1': { class_type: 'NotARealNode', inputs: { text: '' } } };
    const error = await expectAdapterError(
      provider({ workflow, nodes: { prompt: { node: '1', input: 'text' } } }).generate(request()),
      'bad_request',
    );
    expect(error.message).toContain('NotARealNode does not exist');
  });

  it('on timeout or abort it removes the job from the queue and interrupts it', async () => {
    fake.runMs = 60_000;
    await expectAdapterError(provider({ timeoutMs: 500 }).generate(request()), 'retryable');
    const first = fake.jobs[0]?.id;
    expect(fake.cancelled).toEqual(expect.arrayContaining([`queue:${first}`, `interrupt:${first}`]));

    const controller = new AbortController();
    const pending = provider().generate(request({ signal: controller.signal }));
    await vi.waitFor(() => expect(fake.jobs[1]?.polls).toBeGreaterThan(0)); // queued and being polled
    controller.abort();
    await expectAborted(pending);
    expect(fake.cancelled).toContain(`queue:${fake.jobs[1]?.id}`);
  });

  it('check() reads /system_stats', async () => {
    await expect(provider().check?.()).resolves.toBeUndefined();
  });
});
