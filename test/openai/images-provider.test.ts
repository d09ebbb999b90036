import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import type { Logger } from 'pino';
import { createOpenAIImageProvider } from '../../electron/core/adapters/openai/images-provider.ts';
import type { GenerateRequest } from '../../electron/core/adapters/types.ts';
import { startFakeOpenAI } from './fake-openai-server.ts';
import type { FakeOpenAI } from './fake-openai-server.ts';
import { rejection } from '../helpers/rejection.ts';
import { inspect } from 'node:util';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.stop();
});

const secrets = () => ({ get: (name: string) => (name === 'openai' ? fake.apiKey : undefined) });

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    articleId: 'rec1',
    tier: 'regular',
    prompt: 'A quiet harbour at dawn',
    negativePrompt: 'text, logos',
    seed: 42,
    width: 1600,
    height: 900,
    headline: 'Harbour reopens',
    section: 'Local',
    signal: new AbortController().signal,
    ...overrides,
  };
}

const imageRequests = () => fake.requests.filter((r) => r.path === '/v1/images/generations');

describe('OpenAI image provider: success', () => {
  it('generates a decodable PNG at a 16:9 custom size, costed from usage, with C2PA', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: secrets() });
    const image = await provider.generate(request({ tier: 'breaking' }));

    const meta = await sharp(image.bytes).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([1600, 896]);
    expect(image.contentType).toBe('image/png');
    expect(image.model).toBe('gpt-image-2');
    expect(image.c2pa).toBe(true);
    expect(image.seed).toBeNull();

    const sent = imageRequests()[0];
    const body = sent?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'gpt-image-2', size: '1600x896', quality: 'high', n: 1, output_format: 'png' });
    expect(body.response_format).toBeUndefined();
    expect(body.prompt).toBe('A quiet harbour at dawn\n\nAvoid: text, logos.');
    expect(sent?.headers['x-stainless-retry-count']).toBe('0');

    expect(image.costUsd).toBeGreaterThan(0);
    expect(image.detail).toContain('tokens');
  });

  it('costs from usage: text in $5/M, image in $8/M, image out $30/M, text out $10/M', async () => {
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    fake.script('images', {
      kind: 'raw',
      status: 200,
      body: {
        created: 1,
        data: [{ b64_json: png.toString('base64') }],
        output_format: 'png',
        usage: {
          input_tokens: 150,
          output_tokens: 1100,
          total_tokens: 1250,
          input_tokens_details: { text_tokens: 100, image_tokens: 50 },
          output_tokens_details: { image_tokens: 1000, text_tokens: 100 },
        },
      },
    });
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: secrets() });
    const image = await provider.generate(request());
    // 100×5 + 50×8 + 1000×30 + 100×10 = 31,900 per 1M tokens
    expect(image.costUsd).toBeCloseTo(0.0319, 8);
    expect(image.bytes.equals(png)).toBe(true);
  });

  it('config prices override the built-in table', async () => {
    fake.script('images', {
      kind: 'raw',
      status: 200,
      body: {
        created: 1,
        data: [{ b64_json: Buffer.from('x').toString('base64') }],
        usage: { input_tokens: 0, output_tokens: 1_000_000, input_tokens_details: { text_tokens: 0, image_tokens: 0 } },
      },
    });
    const provider = createOpenAIImageProvider(
      { baseURL: fake.baseURL, prices: { 'gpt-image-2': { textInput: 1, imageOutput: 2, textOutput: 1 } } },
      { secrets: secrets() },
    );
    expect((await provider.generate(request())).costUsd).toBeCloseTo(2, 8);
  });

  it('uses quality per tier', async () => {
    const provider = createOpenAIImageProvider(
      { baseURL: fake.baseURL, quality: { breaking: 'high', regular: 'low', default: 'low' } },
      { secrets: secrets() },
    );
    await provider.generate(request({ tier: 'regular' }));
    expect((imageRequests()[0]?.body as { quality: string }).quality).toBe('low');
  });

  it('maps to the nearest fixed size for models without custom sizes', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL, model: 'gpt-image-2.6-flare' }, { secrets: secrets() });
    const image = await provider.generate(request());
    expect((imageRequests()[0]?.body as { size: string }).size).toBe('1536x1024');
    const meta = await sharp(image.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1536, 1024]);
  });

  it('returns JPEG when configured, with compression', async () => {
    const provider = createOpenAIImageProvider(
      { baseURL: fake.baseURL, outputFormat: 'jpeg', outputCompression: 80 },
      { secrets: secrets() },
    );
    const image = await provider.generate(request({ negativePrompt: null }));
    expect(image.contentType).toBe('image/jpeg');
    expect((await sharp(image.bytes).metadata()).format).toBe('jpeg');
    expect(imageRequests()[0]?.body).toMatchObject({ output_compression: 80, prompt: 'A quiet harbour at dawn' });
  });
});

describe('OpenAI image provider: failures', () => {
  const make = (extra: object = {}) => createOpenAIImageProvider({ baseURL: fake.baseURL, ...extra }, { secrets: secrets() });

  it('moderation_blocked and content_policy_violation are refusals', async () => {
    fake.script('images', { kind: 'moderation_blocked' }, { kind: 'content_policy_violation' });
    expect((await rejection(make().generate(request()))).kind).toBe('refused');
    expect((await rejection(make().generate(request()))).kind).toBe('refused');
  });

  it('429 with retry-after is retryable with the server delay', async () => {
    fake.script('images', { kind: 'rate_limit', retryAfter: '7' }, { kind: 'rate_limit', retryAfterMs: '1500' }, { kind: 'rate_limit' });
    const a = await rejection(make().generate(request()));
    expect([a.kind, a.retryAfterMs]).toEqual(['retryable', 7000]);
    const b = await rejection(make().generate(request()));
    expect([b.kind, b.retryAfterMs]).toEqual(['retryable', 1500]);
    const c = await rejection(make().generate(request()));
    expect([c.kind, c.retryAfterMs]).toEqual(['retryable', null]);
    expect(imageRequests()).toHaveLength(3); // the SDK did not retry on its own
  });

  it('429 insufficient_quota is quota', async () => {
    fake.script('images', { kind: 'insufficient_quota' });
    expect((await rejection(make().generate(request()))).kind).toBe('quota');
  });

  it('401 is auth and never echoes the key', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: { get: () => 'sk-wrong-secret-value-9999' } });
    const err = await rejection(provider.generate(request()));
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('9999');
    expect(err.message).not.toContain('sk-wrong');
    expect(inspect(err.cause)).not.toContain('9999');
  });

  it('a missing secret is auth, naming the secret not a value', async () => {
    const provider = createOpenAIImageProvider(
      { baseURL: fake.baseURL, apiKeySecret: 'openai-news' },
      { secrets: { get: () => undefined } },
    );
    const err = await rejection(provider.generate(request()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain("'openai-news'");
  });

  it('5xx is retryable', async () => {
    fake.script('images', { kind: 'server_error' }, { kind: 'server_error', status: 503 });
    expect((await rejection(make().generate(request()))).kind).toBe('retryable');
    expect((await rejection(make().generate(request()))).kind).toBe('retryable');
  });

  it('a slow server hits the per-request timeout: retryable, one request only', async () => {
    fake.script('images', { kind: 'slow', delayMs: 5_000 });
    const err = await rejection(make({ timeoutMs: 200 }).generate(request()));
    expect(err.kind).toBe('retryable');
    expect(err.message).toMatch(/timed out/);
    expect(imageRequests()).toHaveLength(1);
  });

  it('the request signal aborts an in-flight call', async () => {
    fake.script('images', { kind: 'slow', delayMs: 5_000 });
    const controller = new AbortController();
    const pending = make().generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(pending);
    expect(err.kind).toBe('retryable');
    expect(err.message).toMatch(/aborted/);
  });

  it('a refused connection is retryable', async () => {
    const provider = make();
    await fake.stop();
    const err = await rejection(provider.generate(request()));
    expect(err.kind).toBe('retryable');
    fake = await startFakeOpenAI(); // for afterEach
  });

  it('a retired model (404 model_not_found) is bad_request', async () => {
    const err = await rejection(make({ model: 'dall-e-3' }).generate(request()));
    expect(err.kind).toBe('bad_request');
    expect(err.message).toContain('model_not_found');
  });

  it('a size the model rejects (400) is bad_request', async () => {
    const err = await rejection(make({ model: 'gpt-image-2.6-flare', customSizes: true }).generate(request()));
    expect(err.kind).toBe('bad_request');
    expect(err.message).toMatch(/Invalid size/);
  });
});

describe('OpenAI image provider: check()', () => {
  it('passes for a listed model', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: secrets() });
    await expect(provider.check?.()).resolves.toBeUndefined();
  });

  it('names the missing model and what exists', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL, model: 'gpt-image-1' }, { secrets: secrets() });
    const err = await rejection(provider.check?.() ?? Promise.resolve());
    expect(err.message).toContain("'gpt-image-1'");
    expect(err.message).toContain('gpt-image-2.5-flare');
    expect(err.message).not.toContain('gpt-5.6-luna');
  });

  it('rejects a model past its shutdown date and warns about an announced one', async () => {
    await fake.stop();
    fake = await startFakeOpenAI({
      models: [
        { id: 'gpt-image-old', shutdown_date: '2020-01-01' },
        { id: 'gpt-image-soon', shutdown_date: '2999-01-01' },
        { id: 'gpt-image-2' },
      ],
    });
    const old = createOpenAIImageProvider({ baseURL: fake.baseURL, model: 'gpt-image-old' }, { secrets: secrets() });
    const err = await rejection(old.check?.() ?? Promise.resolve());
    expect(err.message).toMatch(/shut down on 2020-01-01/);
    expect(err.message).toContain('gpt-image-2');

    const warn = vi.fn();
    const soon = createOpenAIImageProvider(
      { baseURL: fake.baseURL, model: 'gpt-image-soon' },
      { secrets: secrets(), logger: { warn, debug: vi.fn() } },
    );
    await soon.check?.();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ shutdownDate: '2999-01-01' }), expect.any(String));
  });

  it('a bad key fails check() as auth', async () => {
    const provider = createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: { get: () => 'sk-nope-nope-nope' } });
    expect((await rejection(provider.check?.() ?? Promise.resolve())).kind).toBe('auth');
  });

  it('accepts a pino logger as deps.logger (type-level)', () => {
    const logger = { warn: () => undefined, debug: () => undefined } as unknown as Logger;
    expect(createOpenAIImageProvider({ baseURL: fake.baseURL }, { secrets: secrets(), logger }).name).toBe('openai-images');
  });
});
