// Perceptual hash (DCT pHash, 64 bits as 16 hex chars) for near-duplicate checks: the same
// picture re-encoded, resized or lightly recompressed lands within a few bits; different pictures do not.
import sharp from 'sharp';
import { decodeAndKeep, rawInput } from './decoded.ts';

const SAMPLE = 32; // greyscale sample edge; the DCT keeps the lowest 8×8 frequencies of it
const KEEP = 8;

/** Cosine table for the 1-D DCT-II over SAMPLE points, computed once. */
const COS: Float64Array = (() => {
  const table = new Float64Array(KEEP * SAMPLE);
  for (let u = 0; u < KEEP; u++) {
    for (let x = 0; x < SAMPLE; x++) table[u * SAMPLE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SAMPLE));
  }
  return table;
})();

export async function perceptualHash(image: Buffer): Promise<string> {
  // read from the review sample (decoded.ts) whether or not the decode check ran first, so one
  // picture always gets one hash; 480 px is far more than a 32-px sample needs
  const { sample } = await decodeAndKeep(image);
  const { data, info } = await sharp(sample.data, rawInput(sample))
    .flatten({ background: '#ffffff' }) // transparent pixels hash as white, not black
    .greyscale()
    .resize(SAMPLE, SAMPLE, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  const pixels = new Float64Array(SAMPLE * SAMPLE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * channels] ?? 0;
  return hashFromCoefficients(lowFrequencyDct(pixels));
}

/** Separable 2-D DCT, only the KEEP×KEEP lowest frequencies (that is all pHash uses). */
function lowFrequencyDct(pixels: Float64Array): Float64Array {
  const rows = new Float64Array(SAMPLE * KEEP); // DCT along x for every row
  for (let y = 0; y < SAMPLE; y++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let x = 0; x < SAMPLE; x++) sum += (pixels[y * SAMPLE + x] ?? 0) * (COS[u * SAMPLE + x] ?? 0);
      rows[y * KEEP + u] = sum;
    }
  }
  const out = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let y = 0; y < SAMPLE; y++) sum += (rows[y * KEEP + u] ?? 0) * (COS[v * SAMPLE + y] ?? 0);
      out[v * KEEP + u] = sum;
    }
  }
  return out;
}

/** One bit per coefficient: above the median or not. The DC term (overall brightness) is left out of the median. */
function hashFromCoefficients(coefficients: Float64Array): string {
  const ac = Array.from(coefficients.subarray(1)).sort((a, b) => a - b);
  const median = ac[31] ?? 0; // middle of the 63 AC terms
  let hash = 0n;
  for (let i = 0; i < 64; i++) {
    hash = (hash << 1n) | ((coefficients[i] ?? 0) > median ? 1n : 0n);
  }
  return hash.toString(16).padStart(16, '0');
}

const HEX64 = /^[0-9a-f]{16}$/i;

/** Number of differing bits between two 16-hex-char hashes (0–64). */
export function hammingDistance(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) throw new Error('hammingDistance: expected two 64-bit hashes as 16 hex characters');
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** 8 of 64 bits is the usual pHash cut-off for "same picture". */
export function isNearDuplicate(a: string, b: string, threshold = 8): boolean {
  return hammingDistance(a, b) <= threshold;
}
