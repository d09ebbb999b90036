import { afterEach, describe, expect, it } from 'vitest';
import { Automatic1111ConfigSchema, createAutomatic1111Provider } from '../../electron/core/adapters/providers/automatic1111.ts';
import { startFakeA1111 } from './fakes/automatic1111.ts';
import type { FakeA1111 } from './fakes/automatic1111.ts';
import { deadUrl, expectAborted, expectAdapterError, imageSize, request, secrets } from './helpers.ts';

let fake: FakeA1111 | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function provider(baseUrl: string, overrides: Record<string, unknown> = {}, store: Record<string, string> = {}) {
  return createAutomatic1111Provider(Automatic1111ConfigSchema.parse({ baseUrl, ...overrides }), { secrets: secrets(store) });
}

describe('AUTOMATIC1111 provider', () => {
  it('posts txt2img with the configured sampler settings and decodes images[0] and the seed from info', async () => {
    fake = await startFakeA1111();
    const p = provider(fake.url, { steps: 25, cfgScale: 6.5, sampler: 'Euler a', checkpoint: 'sd_xl_base_1.0.safetensors' });
    const image = await p.generate(request({ width: 1344, height: 768 }));
    expect(fake.calls[0]).toMatchObject({
      prompt: 'A calm watercolour of a harbour at dawn',
      negative_prompt: 'text, watermark',
      seed: 4242,
      width: 1344,
      height: 768,
      steps: 25,
      cfg_scale: 6.5,
      sampler_name: 'Euler a',
      override_settings: { sd_model_checkpoint: 'sd_xl_base_1.0.safetensors' },
    });
    expect(await imageSize(image.bytes)).toMatchObject({ width: 1344, height: 768, format: 'png' });
    expect(image).toMatchObject({ contentType: 'image/png', seed: 4242, costUsd: 0, model: 'sd_xl_base_1.0.safetensors' });
  });

  it('uses HTTP Basic auth from the secret store; wrong or missing credentials are auth errors', async () => {
    fake = await startFakeA1111({ basicAuth: 'editor:s3cret' });
    const ok = provider(fake.url, { basicAuthSecret: 'a1111' }, { a1111: 'editor:s3cret' });
    await expect(ok.check?.()).resolves.toBeUndefined();
    expect((await ok.generate(request())).model).toBe('sd_xl_base_1.0');
    await expectAdapterError(provider(fake.url, { basicAuthSecret: 'a1111' }, { a1111: 'editor:nope' }).generate(request()), 'auth');
    await expectAdapterError(provider(fake.url).check?.() ?? Promise.resolve(), 'auth');
    await expectAdapterError(provider(fake.url, { basicAuthSecret: 'a1111' }).generate(request()), 'auth');
  });

  it('500 from the server is retryable; an unknown sampler is a bad request', async () => {
    fake = await startFakeA1111();
    fake.failures.push('server');
    const error = await expectAdapterError(provider(fake.url).generate(request()), 'retryable');
    expect(error.message).toContain('OutOfMemoryError');
    await expectAdapterError(provider(fake.url, { sampler: 'Nope' }).generate(request()), 'bad_request');
  });

  it('times out as retryable, passes the caller abort through, and a dead server is retryable', async () => {
    fake = await startFakeA1111();
    fake.failures.push('slow');
    await expectAdapterError(provider(fake.url, { timeoutMs: 150 }).generate(request()), 'retryable');
    fake.failures.push('slow');
    const controller = new AbortController();
    const pending = provider(fake.url).generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expectAborted(pending);
    await expectAdapterError(provider(await deadUrl()).generate(request()), 'retryable');
  });
});
