// A story's revision for optimistic concurrency (issue 13): the newest event that changed the story
// itself. The queue's bookkeeping (jobs claimed, calls recorded) moves no revision, so an editor's
// decision is refused only when the story really changed under it.
import type { Store } from './store.ts';

const CHUNK = 500;
const CHANGES = `type NOT LIKE 'job\\_%' ESCAPE '\\' AND type NOT IN ('attempt', 'publication_queued', 'budget_override')`;

export function revisionOf(store: Store, articleId: string): number {
  return Number(
    store.db.get<{ seq: number | null }>(`SELECT MAX(seq) AS seq FROM events WHERE article_id = ? AND ${CHANGES}`, articleId)?.seq ?? 0,
  );
}

/** A page of stories at once, read from the index of story changes (events_story_changes). */
export function revisionsOf(store: Store, articleIds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let start = 0; start < articleIds.length; start += CHUNK) {
    const part = articleIds.slice(start, start + CHUNK);
    const rows = store.db.all<{ article_id: string; seq: number }>(
      `SELECT article_id, MAX(seq) AS seq FROM events WHERE article_id IN (${part.map(() => '?').join(', ')}) AND ${CHANGES} GROUP BY article_id`,
      ...part,
    );
    for (const row of rows) out.set(row.article_id, Number(row.seq));
  }
  return out;
}
