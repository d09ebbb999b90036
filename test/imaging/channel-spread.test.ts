// The local scorer's channel spread, now summed on a worker thread (imaging/spread-worker.ts): the
// same figures as a plain two-pass computation, for grey, grey+alpha, RGB and RGBA pixels.
import { describe, expect, it } from 'vitest';
import { channelSpread, type DecodedImage } from '../../electron/core/imaging/decoded.ts';

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
    it(`matches a plain computation for ${channels} channel(s)`, async () => {
      const image = noise(301, 97, channels, channels * 7);
      const [spread, expected] = [await channelSpread(image), reference(image)];
      expect(spread.maxima).toEqual(expected.maxima);
      spread.stdevs.forEach((stdev, c) => expect(stdev).toBeCloseTo(expected.stdevs[c]!, 6));
    });
  }

  it('reads a flat image as no spread, and takes many images at once', async () => {
    const flat: DecodedImage = { data: Buffer.alloc(64 * 64 * 3, 200), width: 64, height: 64, channels: 3 };
    const results = await Promise.all(Array.from({ length: 8 }, () => channelSpread(flat)));
    for (const spread of results) expect(spread).toEqual({ stdevs: [0, 0, 0], maxima: [200, 200, 200] });
  });
});
