import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ScoreRequest } from '../../electron/core/adapters/types.ts';
import { createLocalScorer } from '../../electron/core/adapters/embedded/local-scorer.ts';
import { createTitleCardProvider } from '../../electron/core/adapters/embedded/title-card-provider.ts';

const scorer = createLocalScorer();

function scoreRequest(image: Buffer, overrides: Partial<ScoreRequest> = {}): ScoreRequest {
  return {
    headline: 'Storm knocks out power',
    summary: 'Thousands without electricity.',
    section: 'Weather',
    image,
    contentType: 'image/png',
    expectedWidth: 1792,
    expectedHeight: 1024,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function goodImage(): Promise<Buffer> {
  const card = await createTitleCardProvider().generate({
    articleId: 'a', tier: 'default', prompt: 'storm', negativePrompt: null, seed: 7, width: 1792, height: 1024,
    headline: 'Storm knocks out power', section: 'Weather', signal: new AbortController().signal,
  });
  return card.bytes;
}

const flat = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } }).png().toBuffer();

describe('local scorer', () => {
  it('passes a good image with no flags', async () => {
    const result = await scorer.score(scoreRequest(await goodImage()));
    expect(scorer.name).toBe('local');
    expect(result).toMatchObject({ score: 8, flags: [], revisedPrompt: null, description: null, costUsd: 0, width: 1792, height: 1024 });
    expect(result.reason).toMatch(/passed/);
  });

  it('flags a blank image', async () => {
    const result = await scorer.score(scoreRequest(await flat(1792, 1024)));
    expect(result.flags).toEqual(['blank_or_broken']);
    expect(result.score).toBeLessThanOrEqual(2);
    expect(result.reason).toMatch(/blank/);
  });

  it('flags a fully transparent image', async () => {
    const clear = await sharp({ create: { width: 1792, height: 1024, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    expect((await scorer.score(scoreRequest(clear))).flags).toContain('blank_or_broken');
  });

  it('flags the wrong size', async () => {
    const small = await sharp(await goodImage()).resize(1024, 1024).png().toBuffer();
    const result = await scorer.score(scoreRequest(small));
    expect(result.flags).toEqual(['wrong_size']);
    expect(result.score).toBe(5);
    expect([result.width, result.height]).toEqual([1024, 1024]);
    expect(result.reason).toMatch(/1024×1024, expected 1792×1024/);
  });

  it('scores garbage bytes and truncated files as broken', async () => {
    const garbage = await scorer.score(scoreRequest(Buffer.from('definitely not an image')));
    expect(garbage).toMatchObject({ score: 1, flags: ['blank_or_broken'], width: 0, height: 0 });
    const png = await goodImage();
    const truncated = await scorer.score(scoreRequest(png.subarray(0, Math.floor(png.length / 2))));
    expect(truncated).toMatchObject({ score: 1, flags: ['blank_or_broken'] });
  });

  it('throws when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(scorer.score(scoreRequest(await flat(10, 10), { signal: controller.signal }))).rejects.toThrow('stop');
  });
});
