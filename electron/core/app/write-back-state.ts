// What each article's source record should show, recorded in the outbox inside the same
// transaction as the change that caused it (a Store commit hook). Transient states (generating,
// scoring, publishing) keep the last reported status, so the record never flickers. The image
// URL and the attachment are the hero readers see (none once retracted); before publication the
// URL points at the image under review.
import { createHash } from 'node:crypto';
import type { ArticleStatus } from '../../../shared/domain.ts';
import { getArticle } from '../store/articles.ts';
import { spendForArticle } from '../store/attempts.ts';
import { getImage, HERO_VARIANT, variantKeysOf } from '../store/images.ts';
import { latestPublication } from '../store/publications.ts';
import type { Store } from '../store/store.ts';
import { decisionsFor } from './attribution.ts';
import { creditOf, imageKind } from '../pipeline/image-facts.ts';
import { getWriteBack, putWriteBackState, stateOf, type WriteBackState } from '../store/writebacks.ts';

const REPORTED: Partial<Record<ArticleStatus, WriteBackState['status']>> = {
  pending: 'queued',
  generated: 'generated',
  approved: 'approved',
  published: 'published',
  failed: 'failed',
  rejected: 'rejected',
};

/** The state the article's record should show now, or null before anything is worth reporting. */
export function desiredWriteBackState(store: Store, articleId: string, site: string | null = null): WriteBackState | null {
  const article = getArticle(store, articleId);
  if (!article) return null;
  const previous = getWriteBack(store, articleId);
  const status = REPORTED[article.status] ?? (previous ? stateOf(previous).status : null);
  if (!status) return null;
  const image = article.current_image_id === null ? undefined : getImage(store, article.current_image_id);
  const live = liveHeroKey(store, articleId);
  return {
    status,
    imageKey: live ?? image?.storage_key ?? null,
    attachmentKey: live,
    score: image?.score ?? null,
    costUsd: Math.round(spendForArticle(store, articleId) * 1e6) / 1e6,
    altText: image ? (image.alt_text ?? image.description) : null,
    // disclosure travels with the record, not only in the file's metadata
    credit: image ? creditOf(image, site) : null,
    aiGenerated: image ? imageKind(image) === 'ai' : null,
    safetyOverride: image?.safety_override ?? null,
    approvedBy:
      status === 'approved' || status === 'published' ? (decisionsFor(store, [articleId]).get(articleId)?.approved?.by ?? null) : null,
  };
}

/** The hero readers see now: from the newest publication, unless that was a retraction. */
function liveHeroKey(store: Store, articleId: string): string | null {
  const latest = latestPublication(store, articleId);
  if (!latest || latest.kind !== 'publish' || latest.image_id === null) return null;
  const image = getImage(store, latest.image_id);
  return image ? (variantKeysOf(image)[HERO_VARIANT] ?? null) : null;
}

export function hashWriteBackState(state: WriteBackState): string {
  return createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 22);
}

/** Keeps the outbox in step with every committed change; `delayMs` coalesces bursts into one write. */
export function recordWriteBackStates(store: Store, delayMs: number, site: string | null = null): () => void {
  return store.beforeCommit((articleIds) => {
    for (const articleId of articleIds) {
      const state = desiredWriteBackState(store, articleId, site);
      if (state) putWriteBackState(store, articleId, state, hashWriteBackState(state), delayMs);
    }
  });
}
