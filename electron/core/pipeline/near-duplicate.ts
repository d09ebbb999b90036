import { publishedHashesSince } from '../store/images.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Hamming distance (of 64 bits) under which two heroes look like the same picture. */
export const NEAR_DUPLICATE_BITS = 8;

export function hammingDistanceHex(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      distance += x & 1;
      x >>>= 1;
    }
  }
  return distance;
}

/** The article whose hero published in the last day looks most like this one, if any is near. */
export function findNearDuplicate(store: Store, phash: string, articleId: string): string | null {
  for (const row of publishedHashesSince(store, store.now() - DAY_MS, articleId)) {
    if (hammingDistanceHex(phash, row.phash) <= NEAR_DUPLICATE_BITS) return row.articleId;
  }
  return null;
}
