// One decode per generated image. The provider chain's decode check, the local scorer, the board
// thumbnail and the perceptual hash all need the pixels; decoding a 1792×1024 PNG costs tens of ms
// each time, and sharp's stats() (entropy, sharpness, dominant colour we never read) several
// hundred. The check decodes once and keeps the pixels beside the bytes (a WeakMap: they go when
// the bytes go); the others use them when they are there and decode as before when not.
import sharp from 'sharp';

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

/** Rows summed between yields to the event loop (a few milliseconds each on a 1792-wide image). */
const ROWS_PER_SLICE = 128;

/** Spread of each channel over every pixel, computed in slices so no single step holds the event loop. */
export async function channelSpread(image: DecodedImage): Promise<ChannelSpread> {
  const { channels } = image;
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
  // per channel: sum, sum of squares, maximum
  const totals = new Float64Array(channels * 3);
  const rowBytes = image.width * channels;
  for (let row = 0; row < image.height; row += ROWS_PER_SLICE) {
    if (row > 0) await new Promise((resolve) => setImmediate(resolve));
    const from = row * rowBytes;
    const end = Math.min(image.height, row + ROWS_PER_SLICE) * rowBytes;
    if (channels >= 3) sumPixels(data, from, end, channels, totals);
    else for (let c = 0; c < channels; c++) sumChannel(data, from + c, end, channels, c, totals);
  }
  const n = image.width * image.height;
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

/** RGB or RGBA pixels of one slice, every channel in one pass on plain local numbers (a loop V8 keeps tight). */
function sumPixels(data: Uint8Array, from: number, end: number, channels: number, totals: Float64Array): void {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    q0 = 0,
    q1 = 0,
    q2 = 0,
    q3 = 0;
  let m0 = totals[2]!,
    m1 = totals[5]!,
    m2 = totals[8]!,
    m3 = channels === 4 ? totals[11]! : 0;
  const alpha = channels === 4 ? 3 : 0; // an RGB image reads its red twice as "alpha", then drops it
  for (let i = from; i < end; i += channels) {
    const r = data[i]!,
      g = data[i + 1]!,
      b = data[i + 2]!,
      a = data[i + alpha]!;
    s0 += r;
    s1 += g;
    s2 += b;
    s3 += a;
    q0 += r * r;
    q1 += g * g;
    q2 += b * b;
    q3 += a * a;
    if (r > m0) m0 = r;
    if (g > m1) m1 = g;
    if (b > m2) m2 = b;
    if (a > m3) m3 = a;
  }
  const add = [s0, q0, m0, s1, q1, m1, s2, q2, m2, s3, q3, m3];
  for (let c = 0; c < channels; c++) {
    totals[c * 3]! += add[c * 3]!;
    totals[c * 3 + 1]! += add[c * 3 + 1]!;
    totals[c * 3 + 2] = add[c * 3 + 2]!;
  }
}

function sumChannel(data: Uint8Array, from: number, end: number, step: number, c: number, totals: Float64Array): void {
  let sum = 0;
  let square = 0;
  let max = totals[c * 3 + 2]!;
  for (let i = from; i < end; i += step) {
    const value = data[i]!;
    sum += value;
    square += value * value;
    if (value > max) max = value;
  }
  totals[c * 3]! += sum;
  totals[c * 3 + 1]! += square;
  totals[c * 3 + 2] = max;
}
