// The write-back outbox: one row per article holding what its source record should show. The
// row is written in the same transaction as the state change, so nothing is lost to a crash or
// a shutdown; a worker drains due rows under a lease, and a newer state simply replaces the
// older one (the latest state wins; intermediate states need not be written).
import type { Store } from './store.ts';

/** What a source record should show for its article; the adapter maps it onto fields. */
export interface WriteBackState {
  status: 'queued' | 'generated' | 'approved' | 'published' | 'failed' | 'rejected';
  /** Storage key of the image whose URL goes in the record: the live hero, else the image under review. */
  imageKey: string | null;
  /** Storage key of the file in the attachment cell: the hero readers see; null clears the cell. */
  attachmentKey: string | null;
  score: number | null;
  costUsd: number;
  altText: string | null;
  // --- disclosure (issue 11); absent in rows written before it ---
  /** The caption credit line readers see ("Illustration: AI-generated with …, The Daily"). */
  credit?: string | null;
  /** Whether the image is AI output (drives the AI label cell); null with no image. */
  aiGenerated?: boolean | null;
  /** An editor's reason for approving the image over a failed safety check. */
  safetyOverride?: string | null;
  /** Who approved what the record shows (issue 13): an account's name; null when nobody did (auto-approval). */
  approvedBy?: string | null;
}

export interface WriteBackRow {
  article_id: string;
  state: string;
  state_hash: string;
  written_hash: string | null;
  due_at: number;
  attempts: number;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  updated_at: number;
}

export function stateOf(row: Pick<WriteBackRow, 'state'>): WriteBackState {
  return JSON.parse(row.state) as WriteBackState;
}

export function getWriteBack(store: Store, articleId: string): WriteBackRow | undefined {
  return store.db.get<WriteBackRow>('SELECT * FROM writebacks WHERE article_id = ?', articleId);
}

/**
 * Records the state the record should show; a no-op when it already is the pending or written state.
 * A row that is backing off after failures keeps its wait; a healthy one is due after `delayMs`
 * (which coalesces a burst of changes into one write).
 */
export function putWriteBackState(store: Store, articleId: string, state: WriteBackState, hash: string, delayMs: number): boolean {
  const now = store.now();
  const { changes } = store.db.run(
    `INSERT INTO writebacks (article_id, state, state_hash, due_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (article_id) DO UPDATE SET state = excluded.state, state_hash = excluded.state_hash, updated_at = excluded.updated_at,
       due_at = CASE WHEN writebacks.attempts > 0 THEN writebacks.due_at ELSE MIN(writebacks.due_at, excluded.due_at) END
     WHERE writebacks.state_hash != excluded.state_hash`,
    articleId,
    JSON.stringify(state),
    hash,
    now + delayMs,
    now,
  );
  return changes > 0;
}

/** Pending rows that are due and not leased: only pending rows are in the partial index. */
export const DUE_WRITEBACKS_SQL = `SELECT article_id FROM writebacks
  WHERE written_hash IS NOT state_hash AND due_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at < ?)
  ORDER BY due_at LIMIT ?`;

/** Due rows not leased by anyone, oldest due first, leased to `owner`. */
export function claimDueWriteBacks(store: Store, owner: string, leaseMs: number, limit: number): WriteBackRow[] {
  const now = store.now();
  return store.db.all<WriteBackRow>(
    `UPDATE writebacks SET lease_owner = ?, lease_expires_at = ? WHERE article_id IN (${DUE_WRITEBACKS_SQL}) RETURNING *`,
    owner,
    now + leaseMs,
    now,
    now,
    limit,
  );
}

/**
 * The claimed state was written (or will never be: `given up`). When a newer state arrived while
 * we wrote, the row stays pending for it.
 */
export function settleWriteBack(store: Store, row: WriteBackRow, owner: string, outcome: { error: string | null }): void {
  store.db.run(
    `UPDATE writebacks SET written_hash = ?, attempts = 0, last_error = ?, lease_owner = NULL, lease_expires_at = NULL
     WHERE article_id = ? AND lease_owner = ?`,
    row.state_hash,
    outcome.error,
    row.article_id,
    owner,
  );
}

/** The write failed and will be tried again at `dueAt`; `counted` false for an interrupted try (shutdown). */
export function retryWriteBack(
  store: Store,
  row: WriteBackRow,
  owner: string,
  next: { dueAt: number; error: string; counted: boolean },
): void {
  store.db.run(
    `UPDATE writebacks SET due_at = ?, attempts = attempts + ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL
     WHERE article_id = ? AND lease_owner = ?`,
    next.dueAt,
    next.counted ? 1 : 0,
    next.error,
    row.article_id,
    owner,
  );
}

export function pendingWriteBacks(store: Store): number {
  return Number(store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM writebacks WHERE written_hash IS NOT state_hash')?.n ?? 0);
}

/** When the next pending row is due, or null when nothing is pending. */
export function nextWriteBackDue(store: Store): number | null {
  const row = store.db.get<{ due: number | null }>(
    'SELECT MIN(MAX(due_at, COALESCE(lease_expires_at, 0))) AS due FROM writebacks WHERE written_hash IS NOT state_hash',
  );
  return row?.due ?? null;
}

export function uploadedAttachment(store: Store, storageKey: string): { token: string; name: string } | undefined {
  return store.db.get<{ token: string; name: string }>('SELECT token, name FROM attachment_uploads WHERE storage_key = ?', storageKey);
}

export function recordUploadedAttachment(store: Store, storageKey: string, upload: { token: string; name: string }): void {
  store.db.run(
    'INSERT INTO attachment_uploads (storage_key, token, name, uploaded_at) VALUES (?, ?, ?, ?) ON CONFLICT (storage_key) DO NOTHING',
    storageKey,
    upload.token,
    upload.name,
    store.now(),
  );
}
