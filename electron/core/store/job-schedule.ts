// When waiting jobs may run: an embargo moves a queued publish job's run_after, and a cron-style run
// asks how many publish jobs wait for an embargo (not just for an undo window).
import type { Store } from './store.ts';

/** Moves a queued job's earliest start; a job already claimed is left alone. */
export function setQueuedRunAfter(store: Store, jobId: number, runAfter: number): void {
  store.db.run("UPDATE jobs SET run_after = ?, updated_at = ? WHERE id = ? AND status = 'queued'", runAfter, store.now(), jobId);
}

/** Publish jobs waiting for an embargo (not for an undo window): a cron-style run leaves them for a later run. */
export function embargoedPublishJobs(store: Store): number {
  const row = store.db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM jobs JOIN articles ON articles.id = jobs.article_id
     WHERE jobs.kind = 'publish' AND jobs.status = 'queued' AND jobs.run_after > ?
       AND articles.embargo_until IS NOT NULL AND articles.embargo_until >= jobs.run_after`,
    store.now(),
  );
  return Number(row?.n ?? 0);
}
