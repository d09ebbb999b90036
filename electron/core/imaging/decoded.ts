// One decode per generated image. The provider chain's decode check, the local scorer, the board
// thumbnail and the perceptual hash all need the pixels; decoding a 1792×1024 PNG costs tens of ms
// each time, and sharp's stats() (entropy, sharpness, dominant colour we never read) several
// hundred. The check decodes once and keeps the pixels beside the bytes (a WeakMap: they go when
// the bytes go); the others use them when they are there and decode as before when not. The
// scorer's pixel sums run on a worker thread (spread-worker.ts), not on the event loop.
import sharp from 'sharp';
import { sumOnWorker } from './spread-worker.ts';

export interface DecodedImage {
  /** 8 bits per channel, rows top to bottom, upright (EXIF orientation applied). */
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const decodedPixels = new WeakMap<Buffer, Promise<DecodedImage>>();

/** Decodes every pixel (failing as sharp does on a cut-short or corrupt file) and remembers them for `bytes`. */
export function decodeAndKeep(bytes: Buffer): Promise<DecodedImage> {
  const known = decodedPixels.get(bytes);
  if (known) return known;
  const decoding = sharp(bytes, { autoOrient: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => ({ data, width: info.width, height: info.height, channels: info.channels }));
  decodedPixels.set(bytes, decoding);
  // a failed decode is not kept: the next caller gets its own error
  decoding.catch(() => decodedPixels.delete(bytes));
  return decoding;
}

/** The pixels decodeAndKeep made for these bytes, or null when nothing decoded them (then decode as before). */
export async function keptPixels(bytes: Buffer): Promise<DecodedImage | null> {
  const known = decodedPixels.get(bytes);
  return known ? known.catch(() => null) : null;
}

/** sharp input options for decoded pixels. */
export function rawInput(image: DecodedImage): { raw: { width: number; height: number; channels: DecodedImage['channels'] } } {
  return { raw: { width: image.width, height: image.height, channels: image.channels } };
}

export interface ChannelSpread {
  /** Sample standard deviation of each channel (0–255), alpha last when there is one. */
  stdevs: number[];
  /** Highest value of each channel. */
  maxima: number[];
}

/** Spread of each channel over every pixel, summed on a worker thread (imaging/spread-worker.ts): the event loop never holds it. */
export async function channelSpread(image: DecodedImage): Promise<ChannelSpread> {
  const { channels } = image;
  const totals = await sumOnWorker(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), channels);
  return spreadFromTotals(totals, channels, image.width * image.height);
}

/** Per channel (sum, sum of squares, maximum) → sample standard deviation and maximum. */
export function spreadFromTotals(totals: Float64Array, channels: number, n: number): ChannelSpread {
  const stdevs: number[] = [];
  const maxima: number[] = [];
  for (let c = 0; c < channels; c++) {
    const sum = totals[c * 3]!;
    const squares = totals[c * 3 + 1]!;
    stdevs.push(n > 1 ? Math.sqrt(Math.max(0, (squares - (sum * sum) / n) / (n - 1))) : 0);
    maxima.push(totals[c * 3 + 2]!);
  }
  return { stdevs, maxima };
}
