import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { hammingDistance, isNearDuplicate, perceptualHash } from '../../electron/core/imaging/phash.ts';

/** A deterministic test picture: a diagonal gradient with shapes whose placement depends on `variant`. */
async function picture(variant: number, width = 1536, height = 1024): Promise<Buffer> {
  const shapes =
    variant === 0
      ? `<circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.25}" fill="#f4d35e"/>
         <rect x="${width * 0.55}" y="${height * 0.5}" width="${width * 0.35}" height="${height * 0.35}" fill="#0d3b66"/>`
      : variant === 1
        ? `<rect x="${width * 0.05}" y="${height * 0.05}" width="${width * 0.4}" height="${height * 0.9}" fill="#ee964b"/>
           <circle cx="${width * 0.75}" cy="${height * 0.3}" r="${height * 0.2}" fill="#1b998b"/>`
        : `<polygon points="0,${height} ${width / 2},0 ${width},${height}" fill="#2d3047"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#faf0ca"/><stop offset="1" stop-color="#5c80bc"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('perceptual hash', () => {
  it('is 16 lowercase hex characters and deterministic', async () => {
    const image = await picture(0);
    const a = await perceptualHash(image);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await perceptualHash(image)).toBe(a);
  });

  it('the same picture re-encoded, resized or recompressed is a near duplicate', async () => {
    const original = await picture(0);
    const base = await perceptualHash(original);
    const variants = [
      await sharp(original).jpeg({ quality: 40 }).toBuffer(),
      await sharp(original).resize(640).webp({ quality: 50 }).toBuffer(),
      await sharp(original).resize(300, 200).png().toBuffer(),
      await sharp(original).modulate({ brightness: 1.1 }).jpeg({ quality: 70 }).toBuffer(),
    ];
    for (const variant of variants) {
      const hash = await perceptualHash(variant);
      expect(hammingDistance(base, hash)).toBeLessThanOrEqual(8);
      expect(isNearDuplicate(base, hash)).toBe(true);
    }
  });

  it('different pictures are far apart', async () => {
    const hashes = await Promise.all([0, 1, 2].map(async (v) => perceptualHash(await picture(v))));
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        expect(hammingDistance(hashes[i] ?? '', hashes[j] ?? '')).toBeGreaterThan(16);
        expect(isNearDuplicate(hashes[i] ?? '', hashes[j] ?? '')).toBe(false);
      }
    }
  });

  it('handles transparency (flattened onto white)', async () => {
    const transparent = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const white = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect(await perceptualHash(transparent)).toBe(await perceptualHash(white));
  });

  it('hammingDistance counts differing bits and rejects malformed hashes', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000001', '0000000000000003')).toBe(1);
    expect(hammingDistance('F0F0F0F0F0F0F0F0', 'f0f0f0f0f0f0f0f0')).toBe(0);
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(/16 hex/);
    expect(isNearDuplicate('0000000000000000', '00000000000000ff')).toBe(true); // 8 bits
    expect(isNearDuplicate('0000000000000000', '00000000000001ff')).toBe(false); // 9 bits
    expect(isNearDuplicate('0000000000000000', '00000000000001ff', 9)).toBe(true);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(perceptualHash(Buffer.from('nope'))).rejects.toThrow();
  });
});
