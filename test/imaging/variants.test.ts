// Web variants and AI disclosure: real sharp/libvips encodes, decoded again to check what readers get.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  altTextFor,
  captionCredit,
  creditLine,
  DIGITAL_SOURCE_TYPE_AI,
  DIGITAL_SOURCE_TYPE_PHOTO,
  originalKey,
  readDisclosure,
} from '../../electron/core/imaging/disclosure.ts';
import type { DisclosureInfo } from '../../electron/core/imaging/disclosure.ts';
import { cropRectangle, makeVariants, VARIANT_SPECS, variantKey } from '../../electron/core/imaging/variants.ts';
import type { Variant } from '../../electron/core/imaging/variants.ts';

const W = 1792;
const H = 1024;
/**
 * A red block in the top-left corner: a centred 1:1 crop (x 384..1408) and a centred 1200×630 crop
 * (y 42..982) of a 1792×1024 image both cut it off.
 */
const BLOCK = { left: 30, top: 0, size: 36 };

async function imageWithBlock(): Promise<Buffer> {
  const block = await sharp({ create: { width: BLOCK.size, height: BLOCK.size, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: W, height: H, channels: 3, background: '#2050a0' } })
    .composite([{ input: block, left: BLOCK.left, top: BLOCK.top }])
    .png()
    .toBuffer();
}

/** How many strongly red pixels a variant shows (tolerant of lossy encoders). */
async function redPixels(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if ((data[i] ?? 0) > 190 && (data[i + 1] ?? 255) < 80 && (data[i + 2] ?? 255) < 80) count++;
  }
  return count;
}

const find = (variants: Variant[], name: string, format: string): Variant => {
  const v = variants.find((x) => x.name === name && x.format === format);
  if (!v) throw new Error(`no ${name}.${format}`);
  return v;
};

const disclosure: DisclosureInfo = {
  model: 'gpt-image-1',
  provider: 'openai',
  modelVersion: '2025-04',
  prompt: 'A <flooded> street & "rain", editorial illustration',
  promptWriter: 'Hero Desk',
  site: 'The Daily',
  altText: 'A flooded street at dusk.',
};

describe('makeVariants', () => {
  let original: Buffer;
  let centred: Variant[];
  let focused: Variant[];

  beforeAll(async () => {
    original = await imageWithBlock();
    centred = await makeVariants(original, { disclosure });
    focused = await makeVariants(original, {
      focalPoint: { x: (BLOCK.left + BLOCK.size / 2) / W, y: (BLOCK.top + BLOCK.size / 2) / H },
    });
  });

  it('makes every size in webp + avif + jpeg (thumb webp + jpeg) with exact dimensions', async () => {
    expect(centred.map((v) => `${v.name}.${v.format}`).sort()).toEqual(
      [
        'hero.avif',
        'hero.jpeg',
        'hero.webp',
        'og.avif',
        'og.jpeg',
        'og.webp',
        'square.avif',
        'square.jpeg',
        'square.webp',
        'thumb.jpeg',
        'thumb.webp',
      ].sort(),
    );
    const expected = { hero: [1600, 900], og: [1200, 630], square: [1080, 1080], thumb: [480, 270] };
    const decodedFormat = { webp: 'webp', avif: 'heif', jpeg: 'jpeg' };
    for (const v of centred) {
      const meta = await sharp(v.bytes).metadata();
      expect([meta.width, meta.height, v.width, v.height]).toEqual([...expected[v.name], ...expected[v.name]]);
      expect(meta.format).toBe(decodedFormat[v.format]);
      expect(v.contentType).toBe(`image/${v.format}`);
      expect(v.hash).toBe(createHash('sha256').update(v.bytes).digest('hex').slice(0, 16));
    }
  });

  it('returns variants in spec order; libvips uses every core only where the allocator copes (sharp keeps 1 thread on plain glibc)', () => {
    expect(centred.map((v) => `${v.name}.${v.format}`)).toEqual(
      VARIANT_SPECS.flatMap((spec) => spec.formats.map((f) => `${spec.name}.${f}`)),
    );
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    const plainGlibc = Boolean(report?.header?.glibcVersionRuntime) && !process.env.MALLOC_ARENA_MAX;
    expect(sharp.concurrency()).toBe(plainGlibc ? 1 : availableParallelism());
  });

  it('keeps the focal point in frame: the block in the corner survives every crop', async () => {
    for (const v of focused) expect(await redPixels(v.bytes), `${v.name}.${v.format}`).toBeGreaterThan(0);
    // Without a focal point the centred square and og crops cut the block off.
    expect(await redPixels(find(centred, 'square', 'webp').bytes)).toBe(0);
    expect(await redPixels(find(centred, 'og', 'jpeg').bytes)).toBe(0);
  });

  it('embeds the AI disclosure XMP in jpeg, webp and avif, readable again', async () => {
    for (const v of centred) {
      const read = await readDisclosure(v.bytes);
      expect(read, `${v.name}.${v.format}`).toEqual({
        digitalSourceType: DIGITAL_SOURCE_TYPE_AI,
        creator: null,
        model: 'gpt-image-1',
        modelVersion: '2025-04',
        prompt: disclosure.prompt,
        credit: 'Illustration: AI-generated with gpt-image-1, The Daily',
        rights: 'Illustration: AI-generated with gpt-image-1, The Daily',
        description: 'AI-generated illustration (gpt-image-1 2025-04 via openai)',
        altText: 'A flooded street at dusk.',
      });
    }
  });

  it("marks an editor's photo as a capture with its credit, and none of the AI fields", async () => {
    const photo = await makeVariants(original, { photo: { creator: 'Jane Doe', site: 'The Daily', altText: 'The quay at dusk.' } });
    for (const v of photo) {
      const read = await readDisclosure(v.bytes);
      expect(read, `${v.name}.${v.format}`).toEqual({
        digitalSourceType: DIGITAL_SOURCE_TYPE_PHOTO,
        creator: 'Jane Doe',
        model: null,
        modelVersion: null,
        prompt: null,
        credit: 'Photo: Jane Doe',
        rights: 'Photo: Jane Doe',
        description: 'Photo supplied by the newsroom (not AI-generated)',
        altText: 'The quay at dusk.',
      });
    }
  });

  it('gives synthetic images (no disclosure) no XMP at all', async () => {
    for (const v of focused) expect(await readDisclosure(v.bytes)).toBeNull();
  });

  it('flattens transparency onto white for JPEG and upscales small originals to exact sizes', async () => {
    const transparent = await sharp({ create: { width: 400, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const variants = await makeVariants(transparent);
    const jpeg = find(variants, 'thumb', 'jpeg');
    const { data } = await sharp(jpeg.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]].every((c) => (c ?? 0) > 245)).toBe(true);
    const hero = await sharp(find(variants, 'hero', 'webp').bytes).metadata();
    expect([hero.width, hero.height]).toEqual([1600, 900]);
  });
});

describe('cropRectangle', () => {
  it('keeps the focal point inside the crop, at the target aspect ratio, within the source', () => {
    for (const spec of VARIANT_SPECS) {
      for (let x = 0; x <= 1; x += 0.125) {
        for (let y = 0; y <= 1; y += 0.125) {
          const r = cropRectangle(W, H, spec.width, spec.height, { x, y });
          expect(r.left).toBeGreaterThanOrEqual(0);
          expect(r.top).toBeGreaterThanOrEqual(0);
          expect(r.left + r.width).toBeLessThanOrEqual(W);
          expect(r.top + r.height).toBeLessThanOrEqual(H);
          expect(Math.abs(r.width / r.height - spec.width / spec.height)).toBeLessThan(0.01);
          expect(x * W).toBeGreaterThanOrEqual(r.left);
          expect(x * W).toBeLessThanOrEqual(r.left + r.width);
          expect(y * H).toBeGreaterThanOrEqual(r.top);
          expect(y * H).toBeLessThanOrEqual(r.top + r.height);
        }
      }
    }
  });

  it('centres by default and clamps wild focal points', () => {
    expect(cropRectangle(W, H, 1080, 1080)).toEqual({ left: 384, top: 0, width: 1024, height: 1024 });
    expect(cropRectangle(W, H, 1080, 1080, { x: 7, y: Number.NaN })).toEqual({ left: 768, top: 0, width: 1024, height: 1024 });
    expect(cropRectangle(1000, 1000, 1600, 900, { x: 0.5, y: 0 })).toEqual({ left: 0, top: 0, width: 1000, height: 563 });
  });
});

describe('keys, credits and alt text', () => {
  it('builds content-addressed keys with a readable slug', () => {
    const v = { name: 'og', format: 'jpeg', hash: '0123456789abcdef' } as const;
    expect(variantKey('Flood warning: Rhône bursts banks!', v)).toBe('heroes/0123456789abcdef/flood-warning-rhone-bursts-banks-og.jpg');
    expect(variantKey('рекорд', { ...v, format: 'avif' })).toBe('heroes/0123456789abcdef/og.avif');
    expect(originalKey('0123456789abcdef', 'image/png')).toBe('heroes/0123456789abcdef/original.png');
    expect(originalKey('0123456789abcdef', 'image/jpeg; charset=binary')).toBe('heroes/0123456789abcdef/original.jpg');
    expect(originalKey('0123456789abcdef', 'application/x-unknown')).toBe('heroes/0123456789abcdef/original.bin');
  });

  it('credits AI images with the model and synthetic ones without an AI label', () => {
    expect(captionCredit({ name: 'openai' }, 'gpt-image-1', 'The Daily')).toBe('Illustration: AI-generated with gpt-image-1, The Daily');
    expect(captionCredit({ name: 'replicate' })).toBe('Illustration: AI-generated with replicate');
    const card = captionCredit({ name: 'title-card', synthetic: true }, null, 'The Daily');
    expect(card).toBe('Illustration: The Daily');
    expect(card).not.toMatch(/AI/);
  });

  it("puts the editor's credit in place of the site, never in place of the AI label", () => {
    expect(creditLine('ai', { model: 'gpt-image-1', by: 'Jane Doe' })).toBe('Illustration: AI-generated with gpt-image-1, Jane Doe');
    expect(creditLine('photo', { by: 'Jane Doe' })).toBe('Photo: Jane Doe');
    expect(creditLine('photo', {})).toBe('Photo');
    expect(creditLine('synthetic', { by: 'The Daily' })).toBe('Illustration: The Daily');
  });

  it('writes purpose-based alt text from the description, falling back to the headline', () => {
    expect(altTextFor('An image of a  flooded street at dusk', 'Floods')).toBe('A flooded street at dusk.');
    expect(altTextFor('  A picture showing two ministers shaking hands. ', 'Deal')).toBe('Two ministers shaking hands.');
    expect(altTextFor(null, 'Council approves new bridge')).toBe('Illustration for "Council approves new bridge".');
    expect(altTextFor('x'.repeat(400), 'H').length).toBeLessThanOrEqual(251);
  });
});
