// The window title: what awaits review, and failures, readable from another tab.

/** "(4) Hero Desk · 1 failed"; just "Hero Desk" when nothing waits. */
export function titleFor(review: number, failed: number): string {
  const head = review > 0 ? `(${review}) Hero Desk` : 'Hero Desk';
  return failed > 0 ? `${head} · ${failed} failed` : head;
}
