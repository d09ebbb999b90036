// The rows a page of cards is made from, read once per table for the whole page: a 5,000-story
// snapshot is a handful of queries, not five per card.
import type { SettledColumn } from '../../../shared/domain.ts';
import { articleFromRecord, type ArticleRecord, type ArticleRow } from './articles.ts';
import { ATTEMPT_COLUMNS, type AttemptRow } from './attempts.ts';
import { imageFromRecord, type ImageRecord, type ImageRow } from './images.ts';
import type { JobRow } from './jobs.ts';
import type { PublicationRow } from './publications.ts';
import type { Store } from './store.ts';

/** Where the next page of a settled column starts: strictly older than this card. */
export interface SettledCursor {
  updatedAt: number;
  articleId: string;
}

export interface BoardRows {
  images: Map<number, ImageRow>;
  attempts: Map<string, AttemptRow[]>;
  /** Open (queued or running) generate jobs by article. */
  generateJobs: Map<string, Pick<JobRow, 'deadline_at'>>;
  /** Open publish jobs by article (an approval's job waits out its undo window as queued with run_after). */
  publishJobs: Map<string, Pick<JobRow, 'status' | 'run_after'>>;
  /** Articles with an upgrade on its way (a higher tier's image after the deadline). */
  upgradeJobs: Set<string>;
  newestPublication: Map<string, PublicationRow>;
  /** The reason given with the newest retraction (the correction log), for retracted articles. */
  retractReasons: Map<string, string>;
  /**
   * For each article readers have an image of (its newest delivered publication is a publish): the
   * material hash that image was made for (null: made before that was recorded). Staleness is derived from it.
   */
  readersImageMadeFor: Map<string, string | null>;
}

const SETTLED_STATUS: Record<SettledColumn, string> = { rejected: 'rejected', published: 'published', failed: 'failed' };
/** Well under SQLite's bound-parameter limit. */
const CHUNK = 500;

/** Everything not settled: the cards an editor may still act on are always all on the board. */
export function listOpenArticles(store: Store): ArticleRow[] {
  return store.db
    .all<ArticleRecord>(`SELECT * FROM articles WHERE status NOT IN ('rejected', 'published', 'failed') ORDER BY created_at DESC, id`)
    .map(articleFromRecord);
}

/** A settled column, most recently changed first, from `before` (exclusive) on. */
export function listSettledArticles(store: Store, column: SettledColumn, before: SettledCursor | null, limit: number): ArticleRow[] {
  if (before === null) {
    return store.db
      .all<ArticleRecord>(
        'SELECT * FROM articles WHERE status = ? ORDER BY updated_at DESC, id DESC LIMIT ?',
        SETTLED_STATUS[column],
        limit,
      )
      .map(articleFromRecord);
  }
  return store.db
    .all<ArticleRecord>(
      `SELECT * FROM articles WHERE status = ? AND (updated_at < ? OR (updated_at = ? AND id < ?))
     ORDER BY updated_at DESC, id DESC LIMIT ?`,
      SETTLED_STATUS[column],
      before.updatedAt,
      before.updatedAt,
      before.articleId,
      limit,
    )
    .map(articleFromRecord);
}

export function countSettledBefore(store: Store, column: SettledColumn, before: SettledCursor): number {
  const row = store.db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM articles WHERE status = ? AND (updated_at < ? OR (updated_at = ? AND id < ?))',
    SETTLED_STATUS[column],
    before.updatedAt,
    before.updatedAt,
    before.articleId,
  );
  return Number(row?.n ?? 0);
}

function inChunks<T>(store: Store, ids: readonly (string | number)[], sql: (placeholders: string) => string): T[] {
  const rows: T[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const part = ids.slice(start, start + CHUNK);
    rows.push(...store.db.all<T>(sql(part.map(() => '?').join(', ')), ...part));
  }
  return rows;
}

export function boardRowsFor(store: Store, articles: readonly ArticleRow[]): BoardRows {
  const ids = articles.map((article) => article.id);
  const imageIds = articles.flatMap((article) => (article.current_image_id === null ? [] : [article.current_image_id]));

  const images = new Map<number, ImageRow>();
  for (const record of inChunks<ImageRecord>(store, imageIds, (p) => `SELECT * FROM images WHERE id IN (${p})`))
    images.set(record.id, imageFromRecord(record));

  const attempts = new Map<string, AttemptRow[]>();
  const attemptRows = inChunks<AttemptRow & { article_id: string }>(
    store,
    ids,
    (p) => `SELECT article_id, ${ATTEMPT_COLUMNS} FROM attempts WHERE article_id IN (${p}) ORDER BY id`,
  );
  for (const attempt of attemptRows) {
    const list = attempts.get(attempt.article_id);
    if (list) list.push(attempt);
    else attempts.set(attempt.article_id, [attempt]);
  }

  // a whole board reads every open job once (the queue's working set); a few cards ask by article
  const generateJobs = new Map<string, Pick<JobRow, 'deadline_at'>>();
  const publishJobs = new Map<string, Pick<JobRow, 'status' | 'run_after'>>();
  const upgradeJobs = new Set<string>();
  const wanted = new Set(ids);
  const openJobs =
    ids.length <= CHUNK
      ? inChunks<Pick<JobRow, 'article_id' | 'kind' | 'deadline_at' | 'status' | 'run_after'>>(
          store,
          ids,
          (p) =>
            `SELECT article_id, kind, deadline_at, status, run_after FROM jobs WHERE finished_at IS NULL AND article_id IN (${p}) ORDER BY id`,
        )
      : store.db.all<Pick<JobRow, 'article_id' | 'kind' | 'deadline_at' | 'status' | 'run_after'>>(
          'SELECT article_id, kind, deadline_at, status, run_after FROM jobs WHERE finished_at IS NULL ORDER BY id',
        );
  for (const job of openJobs) {
    if (!wanted.has(job.article_id)) continue;
    if (job.kind === 'generate') generateJobs.set(job.article_id, job);
    else if (job.kind === 'upgrade') upgradeJobs.add(job.article_id);
    else publishJobs.set(job.article_id, job);
  }

  const newestPublication = new Map<string, PublicationRow>();
  const publications = inChunks<PublicationRow>(
    store,
    ids,
    (p) => `SELECT * FROM publications WHERE article_id IN (${p}) ORDER BY version, id`,
  );
  for (const publication of publications) newestPublication.set(publication.article_id, publication);

  const retracted = [...newestPublication.values()].filter((publication) => publication.kind === 'retract').map((p) => p.article_id);
  const retractReasons = new Map<string, string>();
  const corrections = inChunks<{ article_id: string; detail: string }>(
    store,
    retracted,
    (p) => `SELECT article_id, detail FROM events WHERE type = 'correction' AND article_id IN (${p}) ORDER BY seq`,
  );
  for (const correction of corrections) {
    const reason = reasonOf(correction.detail);
    if (reason) retractReasons.set(correction.article_id, reason);
  }
  return {
    images,
    attempts,
    generateJobs,
    publishJobs,
    upgradeJobs,
    newestPublication,
    retractReasons,
    readersImageMadeFor: readersImages(store, publications),
  };
}

/** What readers have now per article: the newest delivered publication, when it is a publish with an image. */
function readersImages(store: Store, publications: readonly PublicationRow[]): Map<string, string | null> {
  const delivered = new Map<string, PublicationRow>();
  for (const publication of publications) if (publication.status === 'published') delivered.set(publication.article_id, publication);
  const imageOf = new Map<string, number>();
  for (const [articleId, publication] of delivered)
    if (publication.kind === 'publish' && publication.image_id !== null) imageOf.set(articleId, publication.image_id);
  const madeFor = new Map<number, string | null>();
  const rows = inChunks<{ id: number; made_for: string | null }>(
    store,
    [...new Set(imageOf.values())],
    (p) => `SELECT id, made_for FROM images WHERE id IN (${p})`,
  );
  for (const row of rows) madeFor.set(row.id, row.made_for);
  const out = new Map<string, string | null>();
  for (const [articleId, imageId] of imageOf) out.set(articleId, madeFor.get(imageId) ?? null);
  return out;
}

function reasonOf(detail: string): string | null {
  try {
    const parsed = JSON.parse(detail) as { reason?: unknown };
    return typeof parsed.reason === 'string' && parsed.reason.trim() !== '' ? parsed.reason : null;
  } catch {
    return null;
  }
}
