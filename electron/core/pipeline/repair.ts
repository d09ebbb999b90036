// The safety net behind "no article sits in a transient state without a live job": finds cards
// whose state promises work nobody will do, and gives them a job (or an honest state). Runs at
// start and now and then; it should find nothing, and says so loudly when it does.
import type { Logger } from '../base/log.ts';
import { requireArticle, transition, updateArticle } from '../store/articles.ts';
import { enqueueJob } from '../store/jobs.ts';
import { articlesWithoutOpenJob, publishOrphans } from '../store/orphans.ts';
import { pendingPublication } from '../store/publications.ts';
import { jobPriority } from '../queue/lanes.ts';
import { enqueueGenerate, type ActionDeps } from './article-actions.ts';

export function repairOrphans(deps: ActionDeps, logger: Logger): number {
  const { store } = deps;
  const repaired = store.transaction(() => {
    let count = 0;
    for (const orphan of articlesWithoutOpenJob(store, ['pending', 'generating', 'scoring'], 'generate')) {
      if (orphan.status !== 'pending') transition(store, orphan.id, 'pending', 'resumed: no job was working on it');
      enqueueGenerate(deps, requireArticle(store, orphan.id), requireArticle(store, orphan.id).routed_tier, false);
      count += 1;
    }
    for (const orphan of publishOrphans(store)) {
      const publication = pendingPublication(store, orphan.id);
      if (publication) {
        const lane = deps.lanes.get('publish');
        if (!lane) continue;
        const article = requireArticle(store, orphan.id);
        enqueueJob(store, {
          kind: 'publish',
          lane: lane.name,
          articleId: orphan.id,
          publicationId: publication.id,
          priority: jobPriority(article.breaking, true),
          deadlineAt: null,
          maxAttempts: lane.maxAttempts,
        });
        count += 1;
      } else if (orphan.status === 'publishing') {
        transition(store, orphan.id, 'approved', 'publishing was interrupted');
        updateArticle(store, orphan.id, { last_error: 'Publishing was interrupted; use Retry to send it again' }, 'error');
        count += 1;
      }
    }
    return count;
  });
  if (repaired > 0) {
    logger.warn({ repaired }, `${repaired} stories had no job working on them; they were queued again`);
    deps.wake();
  }
  return repaired;
}
