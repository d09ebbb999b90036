import type { ArticleStatus, Tier } from '../../../shared/domain.ts';
import { assertTransition } from '../../../shared/state-machine.ts';
import { storable } from './redact.ts';
import type { Store } from './store.ts';

export interface ArticleRow {
  id: string;
  source: string;
  headline: string;
  summary: string;
  section: string;
  story_type: string | null;
  breaking: boolean;
  content_hash: string;
  stale: boolean;
  status: ArticleStatus;
  tier: Tier;
  routed_tier: Tier;
  prompt: string;
  prompt_override: string | null;
  policy: string | null;
  current_image_id: number | null;
  version: number;
  last_error: string | null;
  /** The editor's note on the last rejection or retraction. */
  review_note: string | null;
  /** Publish no earlier than this (ms since epoch); null = no embargo. */
  embargo_until: number | null;
  /** The source record's embargo as last read: only a change there moves the article's embargo. */
  source_embargo_until: number | null;
  /** A late upgrade's image kept for the editor (upgradePolicy 'candidate'); null once decided. */
  upgrade_image_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface NewArticle {
  id: string;
  source: string;
  headline: string;
  summary: string;
  section: string;
  storyType: string | null;
  breaking: boolean;
  contentHash: string;
  tier: Tier;
  prompt: string;
  promptOverride: string | null;
  policy: string | null;
  /** The source record's embargo (ms), if its source maps one. */
  embargoUntil?: number | null;
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The row as SQLite holds it: flags as 0/1 integers. Nothing outside store/ sees this shape. */
export type ArticleRecord = Omit<ArticleRow, 'breaking' | 'stale'> & { breaking: number; stale: number };

/** SQLite's 0/1 flags as booleans: the one place a raw articles row becomes an ArticleRow. */
export function articleFromRecord(record: ArticleRecord): ArticleRow {
  return { ...record, breaking: record.breaking === 1, stale: record.stale === 1 };
}

export function getArticle(store: Store, id: string): ArticleRow | undefined {
  const record = store.db.get<ArticleRecord>('SELECT * FROM articles WHERE id = ?', id);
  return record && articleFromRecord(record);
}

export function requireArticle(store: Store, id: string): ArticleRow {
  const article = getArticle(store, id);
  if (!article) throw new NotFoundError(`article ${id}`);
  return article;
}

export function insertArticle(store: Store, article: NewArticle): void {
  const now = store.now();
  store.db.run(
    `INSERT INTO articles (id, source, headline, summary, section, story_type, breaking, content_hash, status, tier,
       routed_tier, prompt, prompt_override, policy, embargo_until, source_embargo_until, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    article.id,
    article.source,
    article.headline,
    article.summary,
    article.section,
    article.storyType,
    article.breaking ? 1 : 0,
    article.contentHash,
    article.tier,
    article.tier,
    article.prompt,
    article.promptOverride,
    article.policy,
    article.embargoUntil ?? null,
    article.embargoUntil ?? null,
    now,
    now,
  );
  store.logEvent('ingested', article.id, { source: article.source, tier: article.tier });
}

/** Moves an article through the state machine; an illegal move throws IllegalTransitionError. */
export function transition(store: Store, id: string, to: ArticleStatus, note?: string): ArticleRow {
  const article = requireArticle(store, id);
  assertTransition(article.status, to);
  store.db.run('UPDATE articles SET status = ?, updated_at = ? WHERE id = ?', to, store.now(), id);
  store.logEvent('status', id, { from: article.status, to, ...(note ? { note } : {}) });
  return { ...article, status: to };
}

export function updateArticle(
  store: Store,
  id: string,
  changes: Partial<
    Pick<
      ArticleRow,
      | 'tier'
      | 'routed_tier'
      | 'prompt'
      | 'prompt_override'
      | 'policy'
      | 'current_image_id'
      | 'version'
      | 'last_error'
      | 'stale'
      | 'headline'
      | 'summary'
      | 'section'
      | 'story_type'
      | 'breaking'
      | 'content_hash'
      | 'review_note'
      | 'embargo_until'
      | 'source_embargo_until'
      | 'upgrade_image_id'
    >
  >,
  eventType: string,
): void {
  if (changes.last_error) changes = { ...changes, last_error: storable(changes.last_error) };
  // booleans go in as SQLite's 0/1 (and are logged as stored)
  const stored = Object.fromEntries(
    Object.entries(changes).map(([column, value]) => [column, typeof value === 'boolean' ? Number(value) : value]),
  );
  const entries = Object.entries(stored);
  if (entries.length === 0) return;
  const assignments = entries.map(([column]) => `${column} = ?`).join(', ');
  store.db.run(
    `UPDATE articles SET ${assignments}, updated_at = ? WHERE id = ?`,
    ...entries.map(([, value]) => value ?? null),
    store.now(),
    id,
  );
  store.logEvent(eventType, id, stored);
}

/** What the board shows: everything still in play, plus what was published or rejected recently. */
export function listBoardArticles(store: Store, settledSince: number): ArticleRow[] {
  return store.db
    .all<ArticleRecord>(
      `SELECT * FROM articles WHERE status NOT IN ('published', 'rejected') OR updated_at >= ?
     ORDER BY created_at DESC, id`,
      settledSince,
    )
    .map(articleFromRecord);
}

export function articleIdsWithStatus(store: Store, status: ArticleStatus): string[] {
  return store.db.all<{ id: string }>('SELECT id FROM articles WHERE status = ? ORDER BY created_at', status).map((row) => row.id);
}
