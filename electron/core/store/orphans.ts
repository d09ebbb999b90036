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

/** Stories past review with work for a publish job (a pending publication, or caught mid-publish) and no job for it. */
export const PUBLISH_ORPHANS_SQL = `
  SELECT a.id, a.status FROM articles a
   WHERE a.id IN (SELECT p.article_id FROM publications p WHERE p.status = 'pending')
     AND +a.status IN ('approved', 'publishing', 'rejected', 'published') -- '+': reach stories through the outbox, not their status
     AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.article_id = a.id AND j.kind = 'publish' AND j.finished_at IS NULL)
  UNION ALL
  SELECT a.id, a.status FROM articles a
   WHERE a.status = 'publishing'
     AND a.id NOT IN (SELECT p.article_id FROM publications p WHERE p.status = 'pending')
     AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.article_id = a.id AND j.kind = 'publish' AND j.finished_at IS NULL)`;

/**
 * Only the stories a publish job could act on: read through the pending publications and the
 * 'publishing' state, never every published story (the safety net runs every minute).
 */
export function publishOrphans(store: Store): OrphanRow[] {
  return store.db.all<OrphanRow>(PUBLISH_ORPHANS_SQL);
}
