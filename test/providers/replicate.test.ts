import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReplicateProvider, nearestAspectRatio, ReplicateConfigSchema } from '../../electron/core/adapters/providers/replicate.ts';
import { startFakeReplicate } from './fakes/replicate.ts';
import type { FakeReplicate } from './fakes/replicate.ts';
import { expectAborted, expectAdapterError, imageSize, request, secrets } from './helpers.ts';

const TOKEN = 'r8_test_token';
const SDXL = 'stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc';
let fake: FakeReplicate;
beforeEach(async () => {
  fake = await startFakeReplicate({ token: TOKEN });
});
afterEach(async () => {
  await fake.close();
});

function provider(overrides: Record<string, unknown> = {}, token = TOKEN) {
  const config = ReplicateConfigSchema.parse({
    model: 'black-forest-labs/flux-schnell',
    baseUrl: fake.baseUrl,
    pollIntervalMs: 20,
    ...overrides,
  });
  return createReplicateProvider(config, { secrets: secrets(token ? { replicate: token } : {}) });
}

describe('Replicate provider', () => {
  it('official-model route: Prefer: wait returns the finished prediction; output downloaded without leaking the token', async () => {
    const image = await provider({ waitSeconds: 30 }).generate(request());
    const prediction = fake.predictions[0];
    expect(prediction?.model).toBe('black-forest-labs/flux-schnell');
    expect(prediction?.input).toEqual({ prompt: 'A calm watercolour of a harbour at dawn', seed: 4242, aspect_ratio: '16:9' });
    expect(fake.createHeaders[0]?.prefer).toBe('wait=30');
    expect(fake.polls).toBe(0);
    expect(fake.deliveryAuth).toEqual([undefined]);
    expect(await imageSize(image.bytes)).toMatchObject({ format: 'png' });
    expect(image).toMatchObject({ contentType: 'image/png', model: 'black-forest-labs/flux-schnell', seed: 4242, costUsd: 0.003 });
  });

  it('version route for a pinned community model: width/height + negative prompt, cost from predict_time', async () => {
    fake.runMs = 200;
    const image = await provider({ model: SDXL, hardwarePricePerSecondUsd: 0.001 }).generate(request({ width: 1344, height: 768 }));
    expect(fake.predictions[0]).toMatchObject({ version: SDXL.split(':')[1], model: 'stability-ai/sdxl' });
    expect(fake.predictions[0]?.input).toMatchObject({ width: 1344, height: 768, negative_prompt: 'text, watermark' });
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1344, height: 768 });
    expect(image.costUsd).toBeCloseTo(0.2 * 0.001, 6);
    expect(image.detail).toBe('predict 0.2 s');
  });

  it('polls GET /predictions/{id} when the wait window closes before the model finishes', async () => {
    fake.processingPolls = 2;
    const image = await provider({ waitSeconds: 1 }).generate(request());
    expect(fake.polls).toBe(2);
    expect(image.bytes.length).toBeGreaterThan(0);
  });

  it('a poll that meets 429 or 503 is retried inside the call instead of losing the running prediction', async () => {
    fake.processingPolls = 1;
    fake.pollErrors.push(429, 503);
    const image = await provider({ waitSeconds: 1 }).generate(request());
    expect(fake.polls).toBe(3);
    expect(image.contentType).toBe('image/png');
  });

  it('a failed prediction is retryable, an NSFW one refused', async () => {
    fake.failures.push('failed', 'nsfw');
    const failed = await expectAdapterError(provider().generate(request()), 'retryable');
    expect(failed.message).toContain('CUDA error');
    await expectAdapterError(provider().generate(request()), 'refused');
  });

  it('429 carries Retry-After; 402 is quota; 401 auth; an unknown version 422 bad request', async () => {
    fake.failures.push('rate-limit', 'no-credit');
    const limited = await expectAdapterError(provider().generate(request()), 'retryable');
    expect(limited.retryAfterMs).toBe(2000);
    await expectAdapterError(provider().generate(request()), 'quota');
    await expectAdapterError(provider({}, 'r8_wrong').generate(request()), 'auth');
    await expectAdapterError(provider({}, '').generate(request()), 'auth');
    await expectAdapterError(provider({ model: 'stability-ai/sdxl:00ff' }).generate(request()), 'bad_request');
  });

  it('cancels the prediction when the caller aborts or the timeout fires', async () => {
    fake.processingPolls = 1_000_000; // never finishes
    const controller = new AbortController();
    const pending = provider().generate(request({ signal: controller.signal }));
    await vi.waitFor(() => expect(fake.polls).toBeGreaterThan(0)); // created and being polled
    controller.abort();
    await expectAborted(pending);
    expect(fake.cancels).toEqual([fake.predictions[0]?.id]);
    expect(fake.predictions[0]?.status).toBe('canceled');

    await expectAdapterError(provider({ timeoutMs: 500 }).generate(request()), 'retryable');
    expect(fake.cancels).toContain(fake.predictions[1]?.id);
  });

  it('check() finds the model with the token', async () => {
    await expect(provider().check?.()).resolves.toBeUndefined();
    await expect(provider({ model: SDXL }).check?.()).resolves.toBeUndefined();
    await expectAdapterError(provider({ model: 'acme/unknown' }).check?.() ?? Promise.resolve(), 'bad_request');
    await expectAdapterError(provider({}, 'r8_wrong').check?.() ?? Promise.resolve(), 'auth');
  });

  it('maps request sizes to the nearest supported aspect ratio', () => {
    expect(nearestAspectRatio(1792, 1024)).toBe('16:9');
    expect(nearestAspectRatio(1024, 1024)).toBe('1:1');
    expect(nearestAspectRatio(1200, 630)).toBe('16:9');
    expect(nearestAspectRatio(768, 1024)).toBe('3:4');
  });
});
