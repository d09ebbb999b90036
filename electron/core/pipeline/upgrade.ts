// Deadline, then upgrade. A story that misses its tier's deadline takes the next tier's image so
// readers are not kept waiting, but the higher tier's work goes on in the background as an
// 'upgrade' job (a row like any other: it survives restarts). Whatever arrives first becomes the
// story's image; the upgrade's image, arriving later, is kept for the editor ('candidate') or
// replaces the image — republished to readers as a new version when the story is already live
// ('replace'), per the tier's upgradePolicy.
import type { Tier } from '../../../shared/domain.ts';
import { TierSchema } from '../../../shared/domain.ts';
import { requireArticle, transition, updateArticle } from '../store/articles.ts';
import { cancelOpenJobs, openJob, type JobRow } from '../store/jobs.ts';
import { repointPendingPublication } from '../store/publications.ts';
import type { JobHandler } from '../queue/engine.ts';
import type { LaneConfig } from '../queue/lanes.ts';
import { republishArticle } from './article-actions.ts';
import type { PipelineDeps } from './deps.ts';

/** Statuses in which the story has no image of this round yet: the upgrade's image is simply the first. */
const WAITING = new Set(['pending', 'generating', 'scoring', 'failed']);

/** Asked at a generate job's deadline: go on as an upgrade unless the tier's policy is 'off'. */
export function upgradeAtDeadline(deps: PipelineDeps, lane: LaneConfig): boolean {
  const tier = TierSchema.safeParse(lane.name);
  return tier.success && deps.tiers[tier.data].upgradePolicy !== 'off';
}

/** The handler for upgrade jobs claimed from the queue (after a restart): the same generation, story status untouched. */
export function createUpgradeHandler(deps: PipelineDeps, run: JobHandler['run']): JobHandler {
  return {
    run,
    keepsLane: true,
    onRequeue: (job, lane, reason) => deps.logger.info({ articleId: job.article_id, lane }, `upgrade back in the queue: ${reason}`),
    onFailed: (job, error) => {
      const article = requireArticle(deps.store, job.article_id);
      deps.store.notice('warn', `No ${job.lane} upgrade for “${article.headline}”: ${error}. The image it has stays.`, job.article_id);
      deps.logger.warn({ articleId: job.article_id }, `upgrade for “${article.headline}” gave up: ${error}`);
    },
  };
}

/** Said in the transaction that turned the job into an upgrade. */
export function announceUpgrade(deps: PipelineDeps, job: JobRow, fallbackLane: string): void {
  const article = requireArticle(deps.store, job.article_id);
  deps.logger.info(
    { articleId: article.id, lane: job.lane, fallback: fallbackLane },
    `“${article.headline}” missed the ${job.lane} deadline: a ${fallbackLane} image now, the ${job.lane} one later`,
  );
}

/** An upgrade's image arrived (in the transaction that ends its job): first image, candidate, or replacement. */
export function applyUpgrade(deps: PipelineDeps, articleId: string, imageId: number, tier: Tier, autoApprove: () => void): void {
  const { store } = deps;
  const article = requireArticle(store, articleId);
  if (WAITING.has(article.status)) {
    // the fallback has not made an image yet: this one is first, and the fallback is called off
    cancelOpenJobs(store, articleId, 'generate');
    updateArticle(store, articleId, { current_image_id: imageId, last_error: null, tier, upgrade_image_id: null }, 'image_ready');
    transition(store, articleId, 'generated', `the ${tier} image arrived first`);
    autoApprove();
    return;
  }
  const policy = deps.tiers[tier].upgradePolicy;
  if (policy === 'replace' && replace(deps, article.status, articleId, imageId, tier)) {
    store.logEvent('upgrade_replaced', articleId, { imageId, tier, previous: article.current_image_id });
    store.notice(
      'info',
      `The ${tier} image replaced the earlier one for “${article.headline}”${article.status === 'published' ? ' (sent to readers as a new version)' : ''}`,
      articleId,
    );
    return;
  }
  updateArticle(store, articleId, { upgrade_image_id: imageId }, 'upgrade_ready');
  store.notice('info', `A ${tier} image for “${article.headline}” arrived after its deadline: open the card to use it`, articleId);
}

/** Replaces the image where that is safe; false when the story is mid-publication (then the editor decides). */
function replace(deps: PipelineDeps, status: string, articleId: string, imageId: number, tier: Tier): boolean {
  const { store } = deps;
  const swap = () => updateArticle(store, articleId, { current_image_id: imageId, tier, upgrade_image_id: null }, 'image_upgraded');
  if (status === 'generated') {
    swap();
    return true;
  }
  if (status === 'approved' && openJob(store, articleId, 'publish')?.status === 'queued') {
    swap();
    repointPendingPublication(store, articleId, imageId);
    return true;
  }
  if (status === 'published' && !openJob(store, articleId, 'publish')) {
    swap();
    return republishArticle(deps, articleId, `replaced by the late ${tier} image`);
  }
  return false;
}
