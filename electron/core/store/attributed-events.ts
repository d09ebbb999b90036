// Reads of the event log's actor column (issue 13): who decided what, for cards and the audit.
import type { Store } from './store.ts';

const CHUNK = 500;
/** The audit reads in pages: bookkeeping rows are skipped by the caller, so a page may show fewer. */
export const AUDIT_PAGE = 500;

export interface AttributedEventRow {
  seq: number;
  at: number;
  type: string;
  article_id: string | null;
  detail: string;
  actor: string;
}

/** Every attributed status change, prompt edit and retraction of these articles, oldest first. */
export function attributedDecisionEvents(store: Store, articleIds: readonly string[]): AttributedEventRow[] {
  const out: AttributedEventRow[] = [];
  for (let start = 0; start < articleIds.length; start += CHUNK) {
    const part = articleIds.slice(start, start + CHUNK);
    out.push(
      ...store.db.all<AttributedEventRow>(
        `SELECT seq, at, type, article_id, detail, actor FROM events
         WHERE actor IS NOT NULL AND article_id IN (${part.map(() => '?').join(', ')}) AND type IN ('status', 'prompt_edited', 'correction')
         ORDER BY seq`,
        ...part,
      ),
    );
  }
  return out;
}

/** One page of attributed events before `before` (a seq), newest first, with the story's headline. */
export function attributedEventsPage(
  store: Store,
  query: { since?: number; articleId?: string; before: number },
): (AttributedEventRow & { headline: string | null })[] {
  const where = ['e.actor IS NOT NULL', 'e.seq < ?'];
  const params: (string | number)[] = [query.before];
  if (query.since !== undefined) {
    where.push('e.at >= ?');
    params.push(query.since);
  }
  if (query.articleId !== undefined) {
    where.push('e.article_id = ?');
    params.push(query.articleId);
  }
  return store.db.all(
    `SELECT e.seq, e.at, e.type, e.article_id, e.detail, e.actor, a.headline FROM events e LEFT JOIN articles a ON a.id = e.article_id
     WHERE ${where.join(' AND ')} ORDER BY e.seq DESC LIMIT ${AUDIT_PAGE}`,
    ...params,
  );
}
