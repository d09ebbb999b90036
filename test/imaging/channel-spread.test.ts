// The local scorer's channel spread (one pass of sums, imaging/pixel-sums.ts): the same figures as a
// plain two-pass computation, for grey, grey+alpha, RGB and RGBA pixels; and the review sample the
// decode check keeps for it (imaging/decoded.ts): 480 px wide, the image's own pixels when narrower.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { channelSpread, decodeAndKeep, keptPixels, type DecodedImage } from '../../electron/core/imaging/decoded.ts';

function noise(width: number, height: number, channels: DecodedImage['channels'], seed: number): DecodedImage {
  const data = Buffer.alloc(width * height * channels);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = (state >>> 16) & 0xff;
  }
  return { data, width, height, channels };
}

function reference(image: DecodedImage): { stdevs: number[]; maxima: number[] } {
  const n = image.width * image.height;
  const stdevs: number[] = [];
  const maxima: number[] = [];
  for (let c = 0; c < image.channels; c++) {
    let sum = 0;
    let max = 0;
    for (let i = c; i < image.data.length; i += image.channels) {
      sum += image.data[i]!;
      max = Math.max(max, image.data[i]!);
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = c; i < image.data.length; i += image.channels) squares += (image.data[i]! - mean) ** 2;
    stdevs.push(Math.sqrt(squares / (n - 1)));
    maxima.push(max);
  }
  return { stdevs, maxima };
}

describe('channelSpread', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    it(`matches a plain computation for ${channels} channel(s)`, () => {
      const image = noise(301, 97, channels, channels * 7);
      const [spread, expected] = [channelSpread(image), reference(image)];
      expect(spread.maxima).toEqual(expected.maxima);
      spread.stdevs.forEach((stdev, c) => expect(stdev).toBeCloseTo(expected.stdevs[c]!, 6));
    });
  }

  it('reads a flat image as no spread', () => {
    const flat: DecodedImage = { data: Buffer.alloc(64 * 64 * 3, 200), width: 64, height: 64, channels: 3 };
    expect(channelSpread(flat)).toEqual({ stdevs: [0, 0, 0], maxima: [200, 200, 200] });
  });
});

describe('decodeAndKeep', () => {
  it('keeps a 480 px review sample of a large image, with the full upright size', async () => {
    const big = noise(1792, 1024, 3, 11);
    const png = await sharp(big.data, { raw: { width: 1792, height: 1024, channels: 3 } })
      .png()
      .toBuffer();
    const decoded = await decodeAndKeep(png);
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 1792, height: 1024 });
    expect({ width: decoded.sample.width, height: decoded.sample.height, channels: decoded.sample.channels }).toEqual({
      width: 480,
      height: 274,
      channels: 3,
    });
    expect(decoded.sample.data.length).toBe(480 * 274 * 3);
    expect(await keptPixels(png)).toBe(decoded);
    // noise averaged down is still far from blank (the scorer's threshold is 3)
    expect(Math.min(...channelSpread(decoded.sample).stdevs)).toBeGreaterThan(10);
  });

  it('keeps a narrow image as its own sample: the spread is the exact one', async () => {
    const small = noise(301, 97, 4, 5);
    const png = await sharp(small.data, { raw: { width: 301, height: 97, channels: 4 } })
      .png()
      .toBuffer();
    const { sample } = await decodeAndKeep(png);
    expect(sample.data.equals(small.data)).toBe(true);
    expect(channelSpread(sample)).toEqual(channelSpread(small));
  });

  it('fails on a file cut short, and keeps nothing for it', async () => {
    const png = await sharp(noise(800, 600, 3, 3).data, { raw: { width: 800, height: 600, channels: 3 } })
      .png()
      .toBuffer();
    const cut = png.subarray(0, Math.floor(png.length * 0.6));
    await expect(decodeAndKeep(cut)).rejects.toThrow();
    expect(await keptPixels(cut)).toBeNull();
  });
});
