import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ScoreRequest } from '../../electron/core/adapters/types.ts';
import { createLocalScorer } from '../../electron/core/adapters/embedded/local-scorer.ts';
import { createTitleCardProvider } from '../../electron/core/adapters/embedded/title-card-provider.ts';
import { assertDecodes } from '../../electron/core/imaging/decode-check.ts';
import { perceptualHash } from '../../electron/core/imaging/phash.ts';

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
    articleId: 'a',
    tier: 'default',
    prompt: 'storm',
    negativePrompt: null,
    seed: 7,
    width: 1792,
    height: 1024,
    headline: 'Storm knocks out power',
    section: 'Weather',
    signal: new AbortController().signal,
  });
  return card.bytes;
}

const flat = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();

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
    const clear = await sharp({ create: { width: 1792, height: 1024, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    expect((await scorer.score(scoreRequest(clear))).flags).toContain('blank_or_broken');
  });

  it('flags the wrong size', async () => {
    const small = await sharp(await goodImage())
      .resize(1024, 1024)
      .png()
      .toBuffer();
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

describe('local scorer on the pixels the decode check kept', () => {
  // the provider chain decodes every image before it is scored; the scorer then reads those pixels
  // instead of decoding again (and instead of sharp's much slower stats()): the verdicts must match
  const cases: [string, () => Promise<Buffer>][] = [
    ['a good image', goodImage],
    ['a blank image', () => flat(1792, 1024)],
    [
      'a fully transparent image',
      () =>
        sharp({ create: { width: 1792, height: 1024, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
          .png()
          .toBuffer(),
    ],
    [
      'the wrong size',
      async () =>
        sharp(await goodImage())
          .resize(1024, 1024)
          .png()
          .toBuffer(),
    ],
  ];
  for (const [name, make] of cases) {
    it(`gives ${name} the same score, flags and size as a fresh decode`, async () => {
      const fresh = await scorer.score(scoreRequest(await make()));
      const checked = await make();
      await assertDecodes(checked);
      expect(await scorer.score(scoreRequest(checked))).toEqual(fresh);
    });
  }

  it('gives the same perceptual hash', async () => {
    const fresh = await perceptualHash(await goodImage());
    const checked = await goodImage();
    await assertDecodes(checked);
    expect(await perceptualHash(checked)).toBe(fresh);
  });
});
