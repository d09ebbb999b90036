import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../../electron/core/adapters/types.ts';
import { buildTitleCardSvg, createTitleCardProvider } from '../../electron/core/adapters/embedded/title-card-provider.ts';
import { escapeXml, fitHeadline } from '../../electron/core/adapters/embedded/title-card-layout.ts';

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    articleId: 'rec1',
    tier: 'default',
    prompt: 'Editorial illustration of a council chamber, flat vector style, warm light',
    negativePrompt: null,
    seed: 42,
    width: 1792,
    height: 1024,
    headline: 'Council approves new bike lanes on Main Street',
    section: 'Local',
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('title card provider', () => {
  const provider = createTitleCardProvider();

  it('is a free synthetic provider', () => {
    expect(provider.name).toBe('title-card');
    expect(provider.synthetic).toBe(true);
  });

  it('renders a PNG at the requested size', async () => {
    const image = await provider.generate(request());
    expect(image).toMatchObject({ contentType: 'image/png', model: 'title-card-v1', costUsd: 0, c2pa: false, seed: 42 });
    const meta = await sharp(image.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1792, 1024]);
    const square = await provider.generate(request({ width: 1024, height: 1024 }));
    const squareMeta = await sharp(square.bytes).metadata();
    expect([squareMeta.width, squareMeta.height]).toEqual([1024, 1024]);
  });

  it('is deterministic per seed and different for a new seed', async () => {
    const pixels = async (seed: number): Promise<Buffer> =>
      sharp((await provider.generate(request({ seed }))).bytes)
        .resize(64, 36)
        .raw()
        .toBuffer();
    const a = await pixels(1);
    expect((await pixels(1)).equals(a)).toBe(true);
    const b = await pixels(2);
    let difference = 0;
    for (let i = 0; i < a.length; i++) difference += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    expect(difference / a.length).toBeGreaterThan(5); // mean per-channel difference, visibly different
  });

  it('shows prompt edits and survives hostile text', async () => {
    const one = await provider.generate(request({ prompt: 'A harbour at dawn' }));
    const two = await provider.generate(request({ prompt: 'A mountain at dusk' }));
    expect(one.bytes.equals(two.bytes)).toBe(false);
    const hostile = await provider.generate(
      request({
        headline: `<script>alert("x")</script> & ]]> \u0000\u0007 ${'Supercalifragilistic'.repeat(8)} ${'word '.repeat(120)}`,
        section: '<b>',
      }),
    );
    expect((await sharp(hostile.bytes).metadata()).width).toBe(1792);
  });

  it('throws when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by editor'));
    await expect(provider.generate(request({ signal: controller.signal }))).rejects.toThrow('cancelled by editor');
  });

  it('uses the configured brand in the card', async () => {
    const branded = createTitleCardProvider({ brand: 'Riverside Gazette' });
    const a = await branded.generate(request());
    const b = await provider.generate(request());
    expect(a.bytes.equals(b.bytes)).toBe(false);
  });
});

describe('title card layout helpers', () => {
  it('escapes XML and drops characters XML forbids', () => {
    expect(escapeXml(`a<b>&"c"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });

  it('fits short headlines large and long ones smaller, within the line budget', () => {
    const box = { width: 1000, height: 500, maxFontSize: 130, minFontSize: 40 };
    const short = fitHeadline('Lions win', box);
    const long = fitHeadline('A very long headline about the council budget debate that ran late into the night again', box);
    expect(short.fontSize).toBe(130);
    expect(long.fontSize).toBeLessThan(short.fontSize);
    expect(long.lines.length * long.lineHeight).toBeLessThanOrEqual(500);
    const huge = fitHeadline('word '.repeat(500), box);
    expect(huge.lines.at(-1)?.endsWith('…')).toBe(true);
  });

  it('never prints the prompt into the image readers see; an edited prompt changes colours and shapes instead', () => {
    const card = { headline: 'Harbour festival returns', section: 'Culture', brand: 'Hero Desk Local', seed: 7, width: 1792, height: 1024 };
    const one = buildTitleCardSvg({ ...card, prompt: 'Lanterns over the water at dusk' });
    const two = buildTitleCardSvg({ ...card, prompt: 'Fireworks above the quay' });
    expect(one).not.toContain('Lanterns');
    expect(one).not.toContain('Prompt');
    expect(two).not.toContain('Fireworks');
    expect(one).not.toBe(two);
  });
});
