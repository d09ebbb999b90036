import { isNearDuplicate } from '../imaging/phash.ts';
import { publishedHashesSince } from '../store/images.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The article whose hero was published in the last day and looks like this one, if any. */
export function findNearDuplicate(store: Store, phash: string, articleId: string): string | null {
  for (const row of publishedHashesSince(store, store.now() - DAY_MS, articleId)) {
    if (isNearDuplicate(phash, row.phash)) return row.articleId;
  }
  return null;
}
