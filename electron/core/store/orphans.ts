// Articles whose state says work is under way but which have no open job to do it. Every change
// is transactional, so there should be none; this is the safety net that keeps the promise "no
// article sits in a transient state without a live job" even after a bug or a hand-edited database.
import type { ArticleStatus } from '../../../shared/domain.ts';
import type { Store } from './store.ts';

export interface OrphanRow {
  id: string;
  status: ArticleStatus;
}

export function articlesWithoutOpenJob(store: Store, statuses: readonly ArticleStatus[], kind: 'generate' | 'publish'): OrphanRow[] {
  const marks = statuses.map(() => '?').join(', ');
  return store.db.all<OrphanRow>(
    `SELECT a.id, a.status FROM articles a
     WHERE a.status IN (${marks})
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.article_id = a.id AND j.kind = ? AND j.finished_at IS NULL)`,
    ...statuses,
    kind,
  );
}
