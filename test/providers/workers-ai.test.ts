import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createWorkersAiProvider,
  estimateWorkersAiCost,
  WorkersAiConfigSchema,
} from '../../electron/core/adapters/providers/cloudflare-workers-ai.ts';
import { startFakeWorkersAi } from './fakes/workers-ai.ts';
import type { FakeWorkersAi } from './fakes/workers-ai.ts';
import { deadUrl, expectAborted, expectAdapterError, imageSize, request, secrets } from './helpers.ts';

const TOKEN = 'cf-test-token';
let fake: FakeWorkersAi;

beforeEach(async () => {
  fake = await startFakeWorkersAi({ account: 'acct1', token: TOKEN });
});
afterEach(async () => {
  await fake.close();
});

function provider(overrides: Record<string, unknown> = {}, token = TOKEN) {
  const config = WorkersAiConfigSchema.parse({ accountId: 'acct1', baseUrl: fake.baseUrl, ...overrides });
  return createWorkersAiProvider(config, { secrets: secrets(token ? { 'cloudflare-workers-ai': token } : {}) });
}

describe('Workers AI provider', () => {
  it('SDXL: sends the full JSON input and reads raw PNG bytes', async () => {
    const image = await provider({ model: '@cf/stabilityai/stable-diffusion-xl-base-1.0', steps: 30 }).generate(request());
    expect(image.contentType).toBe('image/png');
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1792, height: 1024, format: 'png' });
    expect(image).toMatchObject({ model: '@cf/stabilityai/stable-diffusion-xl-base-1.0', seed: 4242, c2pa: false, costUsd: 0 });
    expect(fake.calls[0]?.fields).toEqual({
      prompt: 'A calm watercolour of a harbour at dawn',
      negative_prompt: 'text, watermark',
      width: 1792,
      height: 1024,
      seed: 4242,
      num_steps: 20,
    });
  });

  it('FLUX.1 schnell: prompt and steps only, base64 image inside the v4 envelope, published price', async () => {
    const image = await provider({ steps: 4 }).generate(request());
    expect(fake.calls[0]?.fields).toEqual({ prompt: 'A calm watercolour of a harbour at dawn', steps: 4 });
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1024, height: 1024 });
    expect(image.seed).toBeNull();
    expect(image.costUsd).toBeCloseTo(4 * 0.0000528 + 4 * 0.0001056, 8);
  });

  it('FLUX.2: sends multipart form fields and decodes the JSON output', async () => {
    const image = await provider({ model: '@cf/black-forest-labs/flux-2-dev', steps: 20 }).generate(request({ width: 1024, height: 576 }));
    const call = fake.calls[0];
    expect(call?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(call?.fields).toMatchObject({
      prompt: 'A calm watercolour of a harbour at dawn',
      width: '1024',
      height: '576',
      seed: '4242',
      steps: '20',
    });
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1024, height: 576 });
    expect(image.costUsd).toBeCloseTo(2 * 2 * 20 * 0.000825, 8);
  });

  it('a configured per-image price wins over the estimate', async () => {
    const image = await provider({ costPerImageUsd: 0.01 }).generate(request());
    expect(image.costUsd).toBe(0.01);
    expect(estimateWorkersAiCost('@cf/some/unknown-model', 1024, 1024, undefined)).toBeNull();
  });

  it('classifies the error envelope: 401 auth, 3036 quota, 3040 retryable with Retry-After, 500 retryable, NSFW refused', async () => {
    await expectAdapterError(provider({}, 'wrong-token').generate(request()), 'auth');
    fake.failures.push('quota', 'capacity', 'server', 'nsfw');
    const quota = await expectAdapterError(provider().generate(request()), 'quota');
    expect(quota.message).toContain('3036');
    const capacity = await expectAdapterError(provider().generate(request()), 'retryable');
    expect(capacity.retryAfterMs).toBe(2000);
    await expectAdapterError(provider().generate(request()), 'retryable');
    await expectAdapterError(provider().generate(request()), 'refused');
  });

  it('an unknown model is a bad request; a missing token is auth and never reaches the server', async () => {
    await expectAdapterError(provider({ model: '@cf/nobody/nothing' }).generate(request()), 'bad_request');
    const error = await expectAdapterError(provider({}, '').generate(request()), 'auth');
    expect(error.message).toContain('"cloudflare-workers-ai"');
    expect(fake.calls).toHaveLength(0);
  });

  it('times out as retryable, passes the caller abort through, and treats a dead server as retryable', async () => {
    fake.slowMs = 5_000;
    fake.failures.push('slow');
    await expectAdapterError(provider({ timeoutMs: 150 }).generate(request()), 'retryable');

    fake.failures.push('slow');
    const controller = new AbortController();
    const pending = provider().generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expectAborted(pending);

    const dead = WorkersAiConfigSchema.parse({ accountId: 'acct1', baseUrl: await deadUrl() });
    await expectAdapterError(
      createWorkersAiProvider(dead, { secrets: secrets({ 'cloudflare-workers-ai': TOKEN }) }).generate(request()),
      'retryable',
    );
  });

  it('check() lists the model with the token; reports a bad token or a missing model', async () => {
    await expect(provider().check?.()).resolves.toBeUndefined();
    await expectAdapterError(provider({}, 'wrong').check?.() ?? Promise.resolve(), 'auth');
    await expectAdapterError(provider({ model: '@cf/acme/flux-1-schnell-fork' }).check?.() ?? Promise.resolve(), 'bad_request');
  });
});
