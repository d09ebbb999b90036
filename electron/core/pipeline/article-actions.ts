// Article-level operations shared by the editor's commands, ingest and the job handlers. Each
// runs inside one transaction: the status change, its job and its outbox row commit together.
import type { Tier } from '../../../shared/domain.ts';
import { requireArticle, transition, updateArticle, type ArticleRow } from '../store/articles.ts';
import { cancelOpenJobs, enqueueJob, openJob } from '../store/jobs.ts';
import { getImage } from '../store/images.ts';
import { cancelPendingPublications, insertPublication, latestPublication, newestPublication } from '../store/publications.ts';
import type { Store } from '../store/store.ts';
import { jobPriority, laneDeadline, type LaneConfig } from '../queue/lanes.ts';
import { materialHash } from '../adapters/content-hash.ts';
import { activeEmbargo } from './embargo-time.ts';

/** The action does not apply to the article as it is now (the message says why). */
export class ActionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefusedError';
  }
}

export interface ActionDeps {
  store: Store;
  lanes: Map<string, LaneConfig>;
  /** Told after commit that there is work (wakes the queue engine). */
  wake(): void;
}

/** Queues a (re)generation on the article's routed tier; supersedes any open generate job. */
export function queueGeneration(deps: ActionDeps, articleId: string, options: { editorRequested: boolean; note: string }): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    cancelOpenJobs(store, articleId, 'generate');
    endUpgrade(store, article); // a new round: the old round's upgrade no longer applies
    if (article.status === 'approved') {
      cancelOpenJobs(store, articleId, 'publish');
      cancelPendingPublications(store, articleId);
    }
    if (article.status !== 'pending') transition(store, articleId, 'pending', options.note);
    enqueueGenerate(deps, article, article.routed_tier, options.editorRequested);
  });
  deps.wake();
}

export function enqueueGenerate(deps: ActionDeps, article: ArticleRow, tier: Tier, editorRequested: boolean): void {
  const lane = requireLane(deps, tier);
  enqueueJob(deps.store, {
    kind: 'generate',
    lane: lane.name,
    articleId: article.id,
    priority: jobPriority(article.breaking, editorRequested),
    deadlineAt: laneDeadline(lane, deps.store.now()),
    maxAttempts: lane.maxAttempts,
  });
  if (article.tier !== tier) updateArticle(deps.store, article.id, { tier }, 'tier');
}

/**
 * Approval and its publication intent commit together (the outbox). With `undoWindowMs` the
 * publish job waits that long before it may run, so the editor can take the approval back.
 */
export function approveArticle(deps: ActionDeps, articleId: string, note = 'approved by editor', undoWindowMs = 0): void {
  const { store } = deps;
  store.transaction(() => {
    const article = transition(store, articleId, 'approved', note);
    if (article.review_note !== null) updateArticle(store, articleId, { review_note: null }, 'review_note');
    enqueuePublication(deps, article, 'publish', undoWindowMs > 0 ? store.now() + undoWindowMs : undefined);
  });
  deps.wake();
}

/**
 * Takes an approval back while its publication still waits out the undo window: the publication is
 * withdrawn (nothing reaches readers) and the story returns to review. Once the publish job has
 * started, it is too late: the message may already be with the relay.
 */
export function undoApproval(deps: ActionDeps, articleId: string): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    const job = openJob(store, articleId, 'publish');
    if (article.status !== 'approved' || job?.status !== 'queued') {
      const why =
        article.status === 'published' || article.status === 'publishing' || job?.status === 'running'
          ? 'it is already on its way to readers (use Pull from readers)'
          : `it is ${article.status}, not waiting to be published`;
      throw new ActionRefusedError(`Too late to undo “${article.headline}”: ${why}`);
    }
    cancelOpenJobs(store, articleId, 'publish');
    cancelPendingPublications(store, articleId);
    transition(store, articleId, 'generated', 'approval undone by editor');
  });
}

/** Rejects an image under review, keeping the editor's note for whoever picks the story up next. */
export function rejectArticle(deps: ActionDeps, articleId: string, note: string | undefined): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    // pulling a live image needs its own confirmation and reason (retract), never a stray R
    if (article.status === 'published')
      throw new ActionRefusedError(`“${article.headline}” is live: pull it from readers with a reason instead`);
    transition(store, articleId, 'rejected', note ? `rejected: ${note}` : 'rejected by editor');
    updateArticle(store, articleId, { review_note: note?.trim() || null }, 'review_note');
  });
}

/**
 * Makes one of the article's images (a candidate, or the editor's photo) its image and puts the
 * story (back) in review: a generation in progress is called off, a publication still waiting is
 * withdrawn. Readers keep a live image until the new one is approved.
 */
export function useImage(deps: ActionDeps, articleId: string, imageId: number, note: string): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    const image = getImage(store, imageId);
    if (!image || image.article_id !== articleId)
      throw new ActionRefusedError(`image ${imageId} is not one of “${article.headline}”'s candidates`);
    if (article.status === 'publishing')
      throw new ActionRefusedError(`“${article.headline}” is being published right now; pick again once it is live`);
    cancelOpenJobs(store, articleId, 'generate');
    endUpgrade(store, article); // the editor chose: a late image must not override that
    if (article.status === 'approved') {
      cancelOpenJobs(store, articleId, 'publish');
      cancelPendingPublications(store, articleId);
    }
    updateArticle(store, articleId, { current_image_id: imageId, last_error: null }, 'image_chosen');
    if (article.status !== 'generated') transition(store, articleId, 'generated', note);
  });
}

/**
 * Sends a published article to readers again as a new version (its image addresses changed, or a
 * better image replaced it). A publication already on its way will carry the current addresses.
 */
export function republishArticle(deps: ActionDeps, articleId: string, note: string): boolean {
  const { store } = deps;
  const queued = store.transaction(() => {
    const article = requireArticle(store, articleId);
    if (article.status !== 'published' || openJob(store, articleId, 'publish')) return false;
    store.logEvent('republish', articleId, { note });
    enqueuePublication(deps, article, 'publish');
    return true;
  });
  if (queued) deps.wake();
  return queued;
}

/** Tries a publication (or retraction) again that failed for good, once its cause is fixed. */
export function retryPublication(deps: ActionDeps, articleId: string): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    if (openJob(store, articleId, 'publish')) throw new ActionRefusedError(`“${article.headline}” is already on its way to readers`);
    const last = newestPublication(store, articleId);
    if (last?.status !== 'failed') throw new ActionRefusedError(`“${article.headline}” has no failed publication to retry`);
    if (last.kind === 'publish' && article.status !== 'approved')
      throw new ActionRefusedError(`“${article.headline}” is ${article.status}, not approved`);
    if (last.kind === 'retract' && article.status !== 'rejected')
      throw new ActionRefusedError(`“${article.headline}” is ${article.status}; the retraction no longer applies`);
    store.logEvent('publication_retried', articleId, { kind: last.kind });
    enqueuePublication(deps, article, last.kind);
  });
  deps.wake();
}

/** Pulls a published image from readers' pages; logged as a correction. */
export function retractArticle(deps: ActionDeps, articleId: string, reason: string): void {
  const { store } = deps;
  store.transaction(() => {
    const article = transition(store, articleId, 'rejected', `retracted: ${reason}`);
    endUpgrade(store, article);
    store.logEvent('correction', articleId, { action: 'retract', reason });
    updateArticle(store, articleId, { review_note: `Pulled from readers: ${reason}` }, 'review_note');
    enqueuePublication(deps, article, 'retract');
  });
  deps.wake();
}

function enqueuePublication(deps: ActionDeps, article: ArticleRow, kind: 'publish' | 'retract', undoUntil?: number): void {
  const { store } = deps;
  if (kind === 'publish' && article.current_image_id === null) throw new Error(`article ${article.id} has no image to publish`);
  const version = article.version + 1;
  updateArticle(store, article.id, { version }, 'version');
  const imageId = kind === 'publish' ? article.current_image_id : (latestPublication(store, article.id)?.image_id ?? null);
  // an approval waits for whichever is later, the undo window or the embargo; a republish of a
  // live story or a retraction never waits for an embargo
  const embargo = kind === 'publish' && article.status === 'approved' ? activeEmbargo(article, store.now()) : null;
  const runAfter = Math.max(undoUntil ?? 0, embargo ?? 0) || undefined;
  const publicationId = insertPublication(store, {
    articleId: article.id,
    imageId,
    kind,
    version,
    articleHash: materialHash(article),
    undoUntil: undoUntil ?? null,
  });
  const lane = requireLane(deps, 'publish');
  enqueueJob(store, {
    kind: 'publish',
    lane: lane.name,
    articleId: article.id,
    publicationId,
    priority: jobPriority(article.breaking, true),
    deadlineAt: null,
    maxAttempts: lane.maxAttempts,
    runAfter,
  });
}

/** Calls off an upgrade on its way and forgets one waiting for the editor (an editor's decision made it moot). */
function endUpgrade(store: Store, article: ArticleRow): void {
  cancelOpenJobs(store, article.id, 'upgrade');
  if (article.upgrade_image_id !== null) updateArticle(store, article.id, { upgrade_image_id: null }, 'upgrade_dismissed');
}

function requireLane(deps: ActionDeps, name: string): LaneConfig {
  const lane = deps.lanes.get(name);
  if (!lane) throw new Error(`no queue lane named ${name}`);
  return lane;
}
