// Runs one editor decision over many articles, one at a time and each in its own transaction, so
// a story that cannot move (already decided, gone) is reported and the rest still go through.
import type { BulkResult } from '../../../shared/domain.ts';

export function runBulk(
  articleIds: readonly string[],
  describe: (error: unknown) => string,
  act: (articleId: string) => void,
): BulkResult[] {
  const seen = new Set<string>();
  const results: BulkResult[] = [];
  for (const articleId of articleIds) {
    if (seen.has(articleId)) continue; // a story listed twice is decided once
    seen.add(articleId);
    try {
      act(articleId);
      results.push({ articleId, ok: true, error: null });
    } catch (error) {
      results.push({ articleId, ok: false, error: describe(error) });
    }
  }
  return results;
}
