// One decode per generated image. The provider chain's decode check, the local scorer, the board
// thumbnail and the perceptual hash all need the pixels; decoding a 1792×1024 PNG costs tens of ms
// each time, and sharp's stats() (entropy, sharpness, dominant colour we never read) several
// hundred. The check decodes every pixel once (so a file cut short fails there) and keeps only a
// review sample — the picture at the thumbnail's 480 px width — beside the bytes (a WeakMap: it
// goes when the bytes go). The thumbnail is that sample encoded, the hash and the scorer's spread
// are read from it: a few hundred thousand values instead of 5.5 million, so the spread is summed
// inline in about a millisecond (it ran on a worker thread, with a copy of every pixel, when it read
// the full size) and the ready path does one resize where it did three.
import sharp from 'sharp';
import { channelTotals } from './pixel-sums.ts';

export interface DecodedImage {
  /** 8 bits per channel, rows top to bottom, upright (EXIF orientation applied). */
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** A decoded image's upright size and its review sample. */
export interface ReviewPixels {
  width: number;
  height: number;
  /** The picture REVIEW_WIDTH px wide (never enlarged: a narrower image is its own sample). */
  sample: DecodedImage;
}

/** The board thumbnail's width; the sample is made at it so the thumbnail is the sample, encoded. */
export const REVIEW_WIDTH = 480;

const decodedPixels = new WeakMap<Buffer, Promise<ReviewPixels>>();

/** Decodes every pixel (failing as sharp does on a cut-short or corrupt file) and remembers the review sample for `bytes`. */
export function decodeAndKeep(bytes: Buffer): Promise<ReviewPixels> {
  const known = decodedPixels.get(bytes);
  if (known) return known;
  const decoding = decodeForReview(bytes);
  decodedPixels.set(bytes, decoding);
  // a failed decode is not kept: the next caller gets its own error
  decoding.catch(() => decodedPixels.delete(bytes));
  return decoding;
}

async function decodeForReview(bytes: Buffer): Promise<ReviewPixels> {
  // two instances, not clone(): sharp's clone() structuredClones its options, input bytes and all
  // (a 4 MB copy on the event loop)
  const [metadata, { data, info }] = await Promise.all([
    sharp(bytes).metadata(),
    sharp(bytes, { autoOrient: true })
      .resize({ width: REVIEW_WIDTH, withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  ]);
  return {
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    sample: { data, width: info.width, height: info.height, channels: info.channels },
  };
}

/** The review pixels decodeAndKeep made for these bytes, or null when nothing decoded them. */
export async function keptPixels(bytes: Buffer): Promise<ReviewPixels | null> {
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

/** Spread of each channel over every pixel of `image` (pass the review sample: summing it takes about a millisecond). */
export function channelSpread(image: DecodedImage): ChannelSpread {
  const { channels } = image;
  const totals = channelTotals(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), channels);
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
