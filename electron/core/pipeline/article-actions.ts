// Article-level operations shared by the editor's commands, ingest and the job handlers. Each
// runs inside one transaction: the status change, its job and its outbox row commit together.
import type { Tier } from '../../../shared/domain.ts';
import { requireArticle, transition, updateArticle, type ArticleRow } from '../store/articles.ts';
import { cancelOpenJobs, enqueueJob, openJob } from '../store/jobs.ts';
import { cancelPendingPublications, insertPublication, latestPublication, newestPublication } from '../store/publications.ts';
import type { Store } from '../store/store.ts';
import { jobPriority, laneDeadline, type LaneConfig } from '../queue/lanes.ts';

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
    priority: jobPriority(article.breaking === 1, editorRequested),
    deadlineAt: laneDeadline(lane, deps.store.now()),
    maxAttempts: lane.maxAttempts,
  });
  if (article.tier !== tier) updateArticle(deps.store, article.id, { tier }, 'tier');
}

/** Approval and its publication intent commit together (the outbox). */
export function approveArticle(deps: ActionDeps, articleId: string, note = 'approved by editor'): void {
  const { store } = deps;
  store.transaction(() => {
    const article = transition(store, articleId, 'approved', note);
    enqueuePublication(deps, article, 'publish');
  });
  deps.wake();
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
    if (last.kind === 'publish' && article.status !== 'approved') throw new ActionRefusedError(`“${article.headline}” is ${article.status}, not approved`);
    if (last.kind === 'retract' && article.status !== 'rejected') throw new ActionRefusedError(`“${article.headline}” is ${article.status}; the retraction no longer applies`);
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
    store.logEvent('correction', articleId, { action: 'retract', reason });
    enqueuePublication(deps, article, 'retract');
  });
  deps.wake();
}

function enqueuePublication(deps: ActionDeps, article: ArticleRow, kind: 'publish' | 'retract'): void {
  const { store } = deps;
  if (kind === 'publish' && article.current_image_id === null) throw new Error(`article ${article.id} has no image to publish`);
  const version = article.version + 1;
  updateArticle(store, article.id, { version }, 'version');
  const imageId = kind === 'publish' ? article.current_image_id : (latestPublication(store, article.id)?.image_id ?? null);
  const publicationId = insertPublication(store, { articleId: article.id, imageId, kind, version });
  const lane = requireLane(deps, 'publish');
  enqueueJob(store, {
    kind: 'publish',
    lane: lane.name,
    articleId: article.id,
    publicationId,
    priority: jobPriority(article.breaking === 1, true),
    deadlineAt: null,
    maxAttempts: lane.maxAttempts,
  });
}

function requireLane(deps: ActionDeps, name: string): LaneConfig {
  const lane = deps.lanes.get(name);
  if (!lane) throw new Error(`no queue lane named ${name}`);
  return lane;
}
