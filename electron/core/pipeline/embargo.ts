// Embargo: approve now, publish at a set time. The time lives on the article (set on the board or
// read from the source record); an approved story's publish job carries it as its `run_after`, the
// same row-level delay the undo window uses, so the wait survives restarts and crashes and the
// queue needs no timer of its own. The job waits for whichever is later: undo window or embargo.
import { requireArticle, updateArticle, type ArticleRow } from '../store/articles.ts';
import { openJob } from '../store/jobs.ts';
import { pendingPublication } from '../store/publications.ts';
import type { Store } from '../store/store.ts';
import { setQueuedRunAfter } from '../store/job-schedule.ts';
import { ActionRefusedError, type ActionDeps } from './article-actions.ts';

export type EmbargoOrigin = 'editor' | 'source';

/** A clock a little slow or a click a little late should not turn "14:00" into "in the past". */
const PAST_SLACK_MS = 1_000;

/**
 * Sets (or, with null, lifts) a story's embargo. On an approved story the waiting publication moves
 * with it; lifted, the story goes out as soon as its undo window allows. The editor is refused a
 * time already past and a story already live; the source's value is taken as it is (a past time
 * just holds nothing back), and an edit after the story went out is logged, not applied.
 */
export function setEmbargo(deps: ActionDeps, articleId: string, publishAt: number | null, origin: EmbargoOrigin): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    const now = store.now();
    if (origin === 'editor' && publishAt !== null && publishAt < now - PAST_SLACK_MS) {
      throw new ActionRefusedError(`${clock(publishAt)} has passed: pick a later time, or use Publish now`);
    }
    if (article.status === 'publishing' || article.status === 'published' || openJob(store, articleId, 'publish')?.status === 'running') {
      if (origin === 'editor')
        throw new ActionRefusedError(
          `“${article.headline}” is already on its way to readers: an embargo can only hold a story that has not gone out`,
        );
      store.logEvent('embargo_ignored', articleId, {
        publishAt,
        reason: `source changed the embargo after the story went out (${article.status})`,
      });
      return;
    }
    if (article.embargo_until === publishAt) return;
    updateArticle(store, articleId, { embargo_until: publishAt }, 'embargo');
    store.logEvent('embargo_set', articleId, { publishAt, by: origin });
    reschedule(store, { ...article, embargo_until: publishAt }, Math.max(now, publishAt ?? 0));
  });
  deps.wake();
}

/** Sends an approved, waiting story out now: the embargo (and any undo window left) is dropped. */
export function publishNow(deps: ActionDeps, articleId: string): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    const job = openJob(store, articleId, 'publish');
    if (article.status !== 'approved' || job?.status !== 'queued') {
      const why =
        article.status === 'publishing' || article.status === 'published' || job?.status === 'running'
          ? 'it is already on its way to readers'
          : `it is ${article.status}: approve it first`;
      throw new ActionRefusedError(`Cannot publish “${article.headline}” now: ${why}`);
    }
    if (article.embargo_until !== null) updateArticle(store, articleId, { embargo_until: null }, 'embargo');
    store.logEvent('publish_now', articleId, { was: job.run_after });
    setQueuedRunAfter(store, job.id, store.now());
  });
  deps.wake();
}

/** Moves an approved story's waiting publish job to the new embargo, never inside its undo window. */
function reschedule(store: Store, article: ArticleRow, notBefore: number): void {
  if (article.status !== 'approved') return; // not approved yet: the approval reads the embargo
  const job = openJob(store, article.id, 'publish');
  if (job?.status !== 'queued') return;
  const undoUntil = pendingPublication(store, article.id)?.undo_until ?? 0;
  setQueuedRunAfter(store, job.id, Math.max(notBefore, undoUntil));
}

function clock(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
