// The summary a bulk decision leaves on screen: how many went through, and for each story that did
// not, its headline and why — so nothing is silently skipped.
import type { BulkResult, Card } from '../../../shared/domain.ts';

export type BulkAction = 'approve' | 'reject' | 'regenerate';

export interface BulkOutcome {
  action: BulkAction;
  succeeded: number;
  failed: { articleId: string; headline: string; error: string }[];
}

const DONE: Record<BulkAction, string> = { approve: 'Approved', reject: 'Rejected', regenerate: 'Regenerating' };
const NOT_DONE: Record<BulkAction, string> = { approve: 'not approved', reject: 'not rejected', regenerate: 'not regenerated' };

export function bulkSummary(action: BulkAction, results: readonly BulkResult[], cards: Readonly<Record<string, Card>>): BulkOutcome {
  return {
    action,
    succeeded: results.filter((result) => result.ok).length,
    failed: results
      .filter((result) => !result.ok)
      .map((result) => ({
        articleId: result.articleId,
        headline: cards[result.articleId]?.headline ?? result.articleId,
        error: result.error ?? 'unknown error',
      })),
  };
}

/** "Approved 8 of 10 stories; 2 not approved:" */
export function bulkHeadline(outcome: BulkOutcome): string {
  const total = outcome.succeeded + outcome.failed.length;
  const stories = total === 1 ? 'story' : 'stories';
  const head = `${DONE[outcome.action]} ${outcome.succeeded} of ${total} ${stories}`;
  return outcome.failed.length === 0 ? head : `${head}; ${outcome.failed.length} ${NOT_DONE[outcome.action]}:`;
}
