// The article lifecycle. Every status change in the core goes through `assertTransition`,
// so an illegal move is an error rather than a silent no-op. The board uses `canTransition`
// to decide which buttons a card offers.
import type { ArticleStatus } from './domain.ts';

const LEGAL: Record<ArticleStatus, readonly ArticleStatus[]> = {
  // pending → generating when a worker takes the job; → failed when no tier can make an image;
  // → generated (here and below): the editor picked a candidate or supplied a photo instead
  pending: ['generating', 'failed', 'generated'],
  // back to pending when a crash or deadline returns the job to the queue
  generating: ['scoring', 'pending', 'failed', 'generated'],
  // → generating again when the score is below threshold and a regeneration is allowed
  scoring: ['generated', 'generating', 'pending', 'failed'],
  generated: ['approved', 'rejected', 'pending'],
  rejected: ['pending', 'generated'],
  failed: ['pending', 'generated'],
  // → generated: the approval was undone (or another image picked) before its publication ran
  approved: ['publishing', 'pending', 'generated'],
  // → approved: the publication failed for good; the card says why and offers to try again
  publishing: ['published', 'approved'],
  // → pending: regenerate or the source changed (stale); → rejected: retracted from the site;
  // → generated: another image picked; readers keep the live one until it is approved
  published: ['pending', 'rejected', 'generated'],
};

export class IllegalTransitionError extends Error {
  readonly from: ArticleStatus;
  readonly to: ArticleStatus;
  constructor(from: ArticleStatus, to: ArticleStatus) {
    super(`illegal status transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
  }
}

export function canTransition(from: ArticleStatus, to: ArticleStatus): boolean {
  return LEGAL[from].includes(to);
}

export function assertTransition(from: ArticleStatus, to: ArticleStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function legalTargets(from: ArticleStatus): readonly ArticleStatus[] {
  return LEGAL[from];
}
