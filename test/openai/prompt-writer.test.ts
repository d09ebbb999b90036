import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clip, createOpenAIPromptWriter } from '../../electron/core/adapters/openai/prompt-writer.ts';
import type { AdapterError } from '../../electron/core/adapters/types.ts';
import { startFakeOpenAI } from './fake-openai-server.ts';
import type { FakeOpenAI } from './fake-openai-server.ts';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.stop();
});

const article = {
  headline: 'Ferry fares rise 12%',
  summary: 'The island ferry raises fares from May.',
  section: 'Business',
  storyType: 'news',
};
const writer = (extra: object = {}) =>
  createOpenAIPromptWriter({ baseURL: fake.baseURL, ...extra }, { secrets: { get: () => fake.apiKey } });

describe('OpenAI prompt writer', () => {
  it('turns the article and house style into a costed visual brief', async () => {
    const { prompt, costUsd } = await writer().write(article, 'clean isometric illustration');
    expect(prompt).toContain('Ferry fares rise 12%');
    expect(costUsd).toBeGreaterThan(0);
    const body = fake.requests[0]?.body as { model: string; input: string; instructions: string; store: boolean };
    expect(body.model).toBe('gpt-5.6-luna');
    expect(body.store).toBe(false);
    expect(body.input).toContain('House style: clean isometric illustration');
    expect(body.input).toContain('Story type: news');
    expect(body.instructions).toMatch(/never a likeness of a real, named person/);
  });

  it('trims quotes and clips long briefs at a sentence', async () => {
    const long = `"${'A wide harbour scene with ferries. '.repeat(40)}"`;
    fake.script('responses', { kind: 'text', text: long });
    const { prompt } = await writer({ maxChars: 200 }).write(article, 'style');
    expect(prompt.length).toBeLessThanOrEqual(200);
    expect(prompt.endsWith('.')).toBe(true);
    expect(prompt.startsWith('"')).toBe(false);
  });

  it('an empty brief is retryable; HTTP failures are classified', async () => {
    fake.script('responses', { kind: 'text', text: '   ' }, { kind: 'rate_limit' }, { kind: 'moderation_blocked' });
    const errors: AdapterError[] = [];
    for (let i = 0; i < 3; i++) {
      await writer()
        .write(article, 'style')
        .catch((e: unknown) => errors.push(e as AdapterError));
    }
    expect(errors.map((e) => e.kind)).toEqual(['retryable', 'retryable', 'refused']);
  });

  it('clip() falls back to a word boundary', () => {
    expect(clip('one two three four five', 12)).toBe('one two');
    expect(clip('short', 100)).toBe('short');
  });
});
