import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createOpenAIVisionScorer } from '../../electron/core/adapters/openai/vision-scorer.ts';
import type { ScoreRequest } from '../../electron/core/adapters/types.ts';
import { startFakeOpenAI } from './fake-openai-server.ts';
import type { FakeOpenAI } from './fake-openai-server.ts';
import { rejection } from '../helpers/rejection.ts';

let fake: FakeOpenAI;
let image: Buffer;
beforeEach(async () => {
  fake = await startFakeOpenAI();
  image = await sharp({ create: { width: 1536, height: 1024, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
});
afterEach(async () => {
  await fake.stop();
});

const secrets = () => ({ get: (name: string) => (name === 'openai' ? fake.apiKey : undefined) });
const scorer = (extra: object = {}) => createOpenAIVisionScorer({ baseURL: fake.baseURL, ...extra }, { secrets: secrets() });

function request(overrides: Partial<ScoreRequest> = {}): ScoreRequest {
  return {
    headline: 'School board votes to extend the school day',
    summary: 'Trustees approved a 30-minute longer day from September after a heated meeting.',
    section: 'Education',
    image,
    contentType: 'image/png',
    expectedWidth: 1536,
    expectedHeight: 1024,
    signal: new AbortController().signal,
    ...overrides,
  };
}

interface SentBody {
  model: string;
  store: boolean;
  instructions: string;
  text: { format: { type: string; strict: boolean; name: string; schema: { properties: Record<string, unknown>; required: string[] } } };
  input: { role: string; content: { type: string; text?: string; image_url?: string; detail?: string }[] }[];
}
const sentBody = () => fake.requests.find((r) => r.path === '/v1/responses')?.body as SentBody;

describe('OpenAI vision scorer', () => {
  it('scores against the article with strict structured output and a downscaled JPEG', async () => {
    const result = await scorer().score(request());
    expect(result).toMatchObject({ score: 8, reason: 'The image matches the story.', flags: [], revisedPrompt: null });
    expect(result.description).toBe('A flat colour illustration.');
    expect([result.width, result.height]).toEqual([1536, 1024]);
    expect(result.costUsd).toBeGreaterThan(0);

    const body = sentBody();
    expect(body.model).toBe('gpt-5.6-luna');
    expect(body.store).toBe(false);
    expect(body.text.format).toMatchObject({ type: 'json_schema', strict: true, name: 'hero_image_score' });
    expect(body.text.format.schema.required.sort()).toEqual(['description', 'flags', 'reason', 'revised_prompt', 'score']);
    const parts = body.input[0]?.content ?? [];
    const text = parts.find((p) => p.type === 'input_text')?.text ?? '';
    expect(text).toContain('School board votes to extend the school day');
    expect(text).toContain('30-minute longer day');
    const dataUrl = parts.find((p) => p.type === 'input_image')?.image_url ?? '';
    expect(dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    const sent = await sharp(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')).metadata();
    expect([sent.format, sent.width, sent.height]).toEqual(['jpeg', 1024, 683]);
  });

  it('returns queued verdicts in order (for the regenerate loop)', async () => {
    fake.queueScores(
      {
        score: 3,
        reason: 'Shows a courthouse; the story is a school board vote.',
        flags: ['legible_text', 'identifiable_person'],
        revised_prompt: 'Empty school desks under a wall clock',
      },
      { score: 9, flags: [] },
    );
    const first = await scorer().score(request());
    expect(first).toMatchObject({
      score: 3,
      flags: ['legible_text', 'identifiable_person'],
      revisedPrompt: 'Empty school desks under a wall clock',
    });
    expect(first.reason).toMatch(/courthouse/);
    expect((await scorer().score(request())).score).toBe(9);
  });

  it('passes every safety flag through', async () => {
    fake.queueScores({ score: 2, flags: ['gore', 'photoreal_event'] });
    expect((await scorer().score(request())).flags).toEqual(['gore', 'photoreal_event']);
  });

  it('undecodable bytes score 1 / blank_or_broken without calling the model', async () => {
    const result = await scorer().score(request({ image: Buffer.from('not an image') }));
    expect(result).toMatchObject({ score: 1, flags: ['blank_or_broken'], costUsd: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('a model refusal is refused', async () => {
    fake.script('responses', { kind: 'refusal', message: "I can't help with that." });
    expect((await rejection(scorer().score(request()))).kind).toBe('refused');
  });

  it('an incomplete response is retryable and still costed', async () => {
    fake.script('responses', { kind: 'incomplete' });
    const err = await rejection(scorer().score(request()));
    expect(err.kind).toBe('retryable');
    expect(err.message).toContain('max_output_tokens');
    expect(err.costUsd).toBeGreaterThan(0);
  });

  it('output that breaks the schema is retryable', async () => {
    fake.script('responses', { kind: 'text', text: '{"score": "great"}' });
    expect((await rejection(scorer().score(request()))).kind).toBe('retryable');
  });

  it('classifies HTTP failures like the image provider', async () => {
    fake.script(
      'responses',
      { kind: 'insufficient_quota' },
      { kind: 'rate_limit', retryAfter: '2' },
      { kind: 'server_error' },
      { kind: 'unauthorized' },
    );
    expect((await rejection(scorer().score(request()))).kind).toBe('quota');
    const limited = await rejection(scorer().score(request()));
    expect([limited.kind, limited.retryAfterMs]).toEqual(['retryable', 2000]);
    expect((await rejection(scorer().score(request()))).kind).toBe('retryable');
    expect((await rejection(scorer().score(request()))).kind).toBe('auth');
  });

  it('times out as retryable', async () => {
    fake.script('responses', { kind: 'slow', delayMs: 5_000 });
    const err = await rejection(scorer({ timeoutMs: 200 }).score(request()));
    expect(err.kind).toBe('retryable');
  });

  it('an unknown or retired model is bad_request; check() names it', async () => {
    const s = scorer({ model: 'gpt-4.1-nano-retired' });
    expect((await rejection(s.score(request()))).kind).toBe('bad_request');
    const err = await rejection(s.check?.() ?? Promise.resolve());
    expect(err.message).toContain("'gpt-4.1-nano-retired'");
    expect(err.message).toContain('gpt-5.6-luna');
    await expect(scorer().check?.()).resolves.toBeUndefined();
  });
});
