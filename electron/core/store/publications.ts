// The publishing outbox. A publication row is written in the same transaction as the approval
// (or retraction) it stands for; the publish worker drains it, so a crash or a relay outage
// only delays delivery. The idempotency key is deterministic (article + version).
import type { Store } from './store.ts';

export interface PublicationRow {
  id: number;
  article_id: string;
  image_id: number | null;
  kind: 'publish' | 'retract';
  version: number;
  idempotency_key: string;
  /** failed: given up on (a permanent error); a retry writes a new publication. */
  status: 'pending' | 'published' | 'cancelled' | 'failed';
  created_at: number;
  published_at: number | null;
  /** Material hash of the story when the publication was written; null before it was recorded. */
  article_hash: string | null;
  /** Until then the approval could be undone (the publish job waits at least that long); null = no window. */
  undo_until: number | null;
}

export function insertPublication(
  store: Store,
  publication: {
    articleId: string;
    imageId: number | null;
    kind: 'publish' | 'retract';
    version: number;
    articleHash?: string | null;
    undoUntil?: number | null;
  },
): number {
  const key = `${publication.articleId}:v${publication.version}:${publication.kind}`;
  const { lastInsertRowid } = store.db.run(
    `INSERT INTO publications (article_id, image_id, kind, version, idempotency_key, status, created_at, article_hash, undo_until)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    publication.articleId,
    publication.imageId,
    publication.kind,
    publication.version,
    key,
    store.now(),
    publication.articleHash ?? null,
    publication.undoUntil ?? null,
  );
  store.logEvent('publication_queued', publication.articleId, {
    publicationId: lastInsertRowid,
    kind: publication.kind,
    version: publication.version,
  });
  return lastInsertRowid;
}

export function getPublication(store: Store, id: number): PublicationRow | undefined {
  return store.db.get<PublicationRow>('SELECT * FROM publications WHERE id = ?', id);
}

export function markPublished(store: Store, id: number): void {
  store.db.run("UPDATE publications SET status = 'published', published_at = ? WHERE id = ? AND status = 'pending'", store.now(), id);
}

export function cancelPendingPublications(store: Store, articleId: string): void {
  store.db.run("UPDATE publications SET status = 'cancelled' WHERE article_id = ? AND status = 'pending'", articleId);
}

export function markPublicationFailed(store: Store, id: number): void {
  store.db.run("UPDATE publications SET status = 'failed' WHERE id = ? AND status = 'pending'", id);
}

/** The newest publication of an article in any state (what a retry repeats). */
export function newestPublication(store: Store, articleId: string): PublicationRow | undefined {
  return store.db.get<PublicationRow>('SELECT * FROM publications WHERE article_id = ? ORDER BY version DESC, id DESC LIMIT 1', articleId);
}

/** A publication still to be delivered, if any. */
export const PENDING_PUBLICATION_SQL =
  "SELECT * FROM publications WHERE article_id = ? AND status = 'pending' ORDER BY version DESC LIMIT 1";

export function pendingPublication(store: Store, articleId: string): PublicationRow | undefined {
  return store.db.get<PublicationRow>(PENDING_PUBLICATION_SQL, articleId);
}

export function latestPublication(store: Store, articleId: string): PublicationRow | undefined {
  return store.db.get<PublicationRow>(
    "SELECT * FROM publications WHERE article_id = ? AND status = 'published' ORDER BY version DESC LIMIT 1",
    articleId,
  );
}

/** A publication not yet sent now carries another image (a late upgrade replaced the approved one). */
export function repointPendingPublication(store: Store, articleId: string, imageId: number): boolean {
  const { changes } = store.db.run(
    "UPDATE publications SET image_id = ? WHERE article_id = ? AND status = 'pending' AND kind = 'publish'",
    imageId,
    articleId,
  );
  return changes > 0;
}
