// Queue rows. A job is claimed by taking a lease (owner + expiry); a worker that dies simply
// stops renewing, and once the lease expires any worker may claim the job again. Every
// terminal write is guarded by the lease owner, so a worker that lost its lease cannot finish
// a job someone else now owns: effects happen exactly once.
import { storable } from './redact.ts';
import type { Store } from './store.ts';

/** 'upgrade': a higher tier's generation that goes on after the story dropped to the next tier at its deadline. */
export type JobKind = 'generate' | 'publish' | 'upgrade';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRow {
  id: number;
  kind: JobKind;
  lane: string;
  article_id: string;
  publication_id: number | null;
  priority: number;
  status: JobStatus;
  run_after: number;
  deadline_at: number | null;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface NewJob {
  kind: JobKind;
  lane: string;
  articleId: string;
  publicationId?: number | null;
  priority: number;
  deadlineAt: number | null;
  maxAttempts: number;
  /** Not before this time (an approval's undo window); default now. */
  runAfter?: number;
}

export function enqueueJob(store: Store, job: NewJob): number {
  const now = store.now();
  const { lastInsertRowid } = store.db.run(
    `INSERT INTO jobs (kind, lane, article_id, publication_id, priority, status, run_after, deadline_at, max_attempts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
    job.kind,
    job.lane,
    job.articleId,
    job.publicationId ?? null,
    job.priority,
    job.runAfter ?? now,
    job.deadlineAt,
    job.maxAttempts,
    now,
    now,
  );
  store.logEvent('job_queued', job.articleId, { jobId: lastInsertRowid, kind: job.kind, lane: job.lane });
  return lastInsertRowid;
}

/**
 * Takes the most urgent ready job of a lane: queued and due, or running with an expired lease
 * (its worker died). Two lookups, each walking its own partial index in order, rather than one OR
 * that would make SQLite sort every job the lane ever had.
 */
export function claimNextJob(store: Store, lane: string, owner: string, leaseMs: number): JobRow | undefined {
  return claimJobs(store, lane, owner, leaseMs, 1)[0];
}

/**
 * Takes up to `limit` ready jobs of a lane, most urgent first, in one transaction: the engine fills
 * all of a lane's free slots with one commit (each claim is still durable before its job starts).
 * With `laneConcurrency`, never more live leases in the lane than that, counted in the database: the
 * desk and its `hero-desk worker` processes share one file and one limit.
 */
export function claimJobs(store: Store, lane: string, owner: string, leaseMs: number, limit: number, laneConcurrency?: number): JobRow[] {
  const now = store.now();
  // an idle desk polls every lane twice a second: a read says "nothing to do" without taking the write lock
  if (!store.inTransaction && !store.db.get(NEXT_QUEUED_SQL, lane, now) && !store.db.get(LONGEST_EXPIRED_SQL, lane, now)) return [];
  return store.transaction(() => {
    const claimed: JobRow[] = [];
    // inside the write transaction: no other process can take a slot between this count and the claims
    if (laneConcurrency !== undefined) limit = Math.min(limit, laneConcurrency - liveLeases(store, lane, now));
    // a claim's lease ends after `now`, so once no lease has run out none will in this transaction
    let orphaned = store.db.get<Candidate>(LONGEST_EXPIRED_SQL, lane, now);
    while (orphaned && claimed.length < limit) {
      const chosen = pickMoreUrgent(store.db.get<Candidate>(NEXT_QUEUED_SQL, lane, now), orphaned)!;
      const job = store.db.get<JobRow>(CLAIM_ONE_SQL, owner, now + leaseMs, now, chosen.id);
      if (!job) break;
      claimed.push(job);
      orphaned = store.db.get<Candidate>(LONGEST_EXPIRED_SQL, lane, now);
    }
    // the common case, no dead worker's job: the most urgent queued jobs in one statement
    if (claimed.length < limit) {
      const queued = store.db.all<JobRow>(CLAIM_QUEUED_SQL, owner, now + leaseMs, now, lane, now, limit - claimed.length);
      claimed.push(...queued.sort(byUrgency));
    }
    for (const job of claimed) store.logEvent('job_claimed', job.article_id, { jobId: job.id, lane, attempt: job.attempts, owner });
    return claimed;
  });
}

const CLAIM_ONE_SQL = `UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
  WHERE id = ? RETURNING *`;

/** Hot queries, exported so test/store/query-plans.test.ts can hold them to their indexes. */
export const NEXT_QUEUED_SQL = `SELECT id, priority, created_at FROM jobs INDEXED BY jobs_queued
  WHERE lane = ? AND status = 'queued' AND run_after <= ? ORDER BY priority DESC, created_at, id LIMIT 1`;
/** A dead worker's job: the one whose lease ran out longest ago (rare, so urgency among them matters little). */
/** The `limit` most urgent queued and due jobs of a lane, leased in one statement (RETURNING is unordered). */
export const CLAIM_QUEUED_SQL = `UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
  WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_queued
    WHERE lane = ? AND status = 'queued' AND run_after <= ? ORDER BY priority DESC, created_at, id LIMIT ?) RETURNING *`;
/** Leases in the lane that have not run out, whoever holds them. */
export const LIVE_LEASES_SQL = `SELECT COUNT(*) AS n FROM jobs INDEXED BY jobs_leased
  WHERE lane = ? AND status = 'running' AND lease_expires_at >= ?`;
export const LONGEST_EXPIRED_SQL = `SELECT id, priority, created_at FROM jobs INDEXED BY jobs_leased
  WHERE lane = ? AND status = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT 1`;
export const OVERDUE_SQL = `SELECT * FROM jobs INDEXED BY jobs_deadlines
  WHERE lane = ? AND status = 'queued' AND deadline_at IS NOT NULL AND deadline_at <= ?`;
/** finished_at IS NULL is what jobs_one_open holds (migration 11): the same rows as status queued or running. */
export const OPEN_JOB_SQL = 'SELECT * FROM jobs WHERE article_id = ? AND kind = ? AND finished_at IS NULL';
export const OPEN_JOB_COUNT_SQL = 'SELECT COUNT(*) AS n FROM jobs WHERE finished_at IS NULL';

function liveLeases(store: Store, lane: string, now: number): number {
  return Number(store.db.get<{ n: number }>(LIVE_LEASES_SQL, lane, now)?.n ?? 0);
}

interface Candidate {
  id: number;
  priority: number;
  created_at: number;
}

function byUrgency(a: Candidate, b: Candidate): number {
  return b.priority - a.priority || a.created_at - b.created_at || a.id - b.id;
}

function pickMoreUrgent(a: Candidate | undefined, b: Candidate | undefined): Candidate | undefined {
  if (!a || !b) return a ?? b;
  if (a.priority !== b.priority) return a.priority > b.priority ? a : b;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? a : b;
  return a.id < b.id ? a : b;
}

export function renewLease(store: Store, jobId: number, owner: string, leaseMs: number): boolean {
  const { changes } = store.db.run(
    "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'",
    store.now() + leaseMs,
    jobId,
    owner,
  );
  return changes === 1;
}

export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`lease on job ${jobId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/** Ends a running job we own; throws LeaseLostError (rolling back the caller's transaction) otherwise. */
export function settleJob(
  store: Store,
  job: JobRow,
  owner: string,
  outcome: { status: 'done' | 'failed' | 'cancelled'; error?: string },
): void {
  const now = store.now();
  const { changes } = store.db.run(
    `UPDATE jobs SET status = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, finished_at = ?
     WHERE id = ? AND lease_owner = ? AND status = 'running'`,
    outcome.status,
    storable(outcome.error),
    now,
    now,
    job.id,
    owner,
  );
  if (changes !== 1) throw new LeaseLostError(job.id);
  store.logEvent(`job_${outcome.status}`, job.article_id, { jobId: job.id, ...(outcome.error ? { error: outcome.error } : {}) });
}

/** Puts a running job we own back in the queue, in the same or another lane. */
export function requeueJob(
  store: Store,
  job: JobRow,
  owner: string,
  next: {
    lane: string;
    runAfter: number;
    deadlineAt: number | null;
    /** 'reset' on a new lane; 'refund' when the run was interrupted (shutdown), not failed. */
    attempts: 'keep' | 'reset' | 'refund';
    error: string | null;
  },
): void {
  const { changes } = store.db.run(
    `UPDATE jobs SET status = 'queued', lane = ?, run_after = ?, deadline_at = ?,
       attempts = CASE ? WHEN 'reset' THEN 0 WHEN 'refund' THEN MAX(attempts - 1, 0) ELSE attempts END, last_error = ?,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
     WHERE id = ? AND lease_owner = ? AND status = 'running'`,
    next.lane,
    next.runAfter,
    next.deadlineAt,
    next.attempts,
    storable(next.error),
    store.now(),
    job.id,
    owner,
  );
  if (changes !== 1) throw new LeaseLostError(job.id);
  store.logEvent('job_requeued', job.article_id, { jobId: job.id, lane: next.lane, error: next.error });
}

/** Queued jobs whose lane deadline has passed (only those rows are read); the engine moves them down a lane. */
export function overdueQueuedJobs(store: Store, lane: string): JobRow[] {
  return store.db.all<JobRow>(OVERDUE_SQL, lane, store.now());
}

/**
 * Moves a queued job to another lane, only while it is still the job that was read (same lane and
 * kind): another engine on the file may have moved it, or turned it into an upgrade, meanwhile.
 */
export function moveQueuedJob(store: Store, job: JobRow, lane: string, deadlineAt: number | null): boolean {
  const { changes } = store.db.run(
    "UPDATE jobs SET lane = ?, deadline_at = ?, attempts = 0, updated_at = ? WHERE id = ? AND status = 'queued' AND lane = ? AND kind = ?",
    lane,
    deadlineAt,
    store.now(),
    job.id,
    job.lane,
    job.kind,
  );
  if (changes === 1) store.logEvent('job_demoted', job.article_id, { jobId: job.id, from: job.lane, to: lane });
  return changes === 1;
}

/**
 * Turns a generate job that missed its lane's deadline into that lane's upgrade job: no deadline,
 * background priority, the same lease (a running call simply goes on). Queued jobs (owner null)
 * are turned as they are. False when the job is no longer ours, no longer open, or another engine moved it.
 */
export function convertToUpgrade(store: Store, job: JobRow, owner: string | null, priority: number): boolean {
  const { changes } = store.db.run(
    `UPDATE jobs SET kind = 'upgrade', deadline_at = NULL, priority = ?, updated_at = ?
     WHERE id = ? AND kind = 'generate' AND lane = ? AND (lease_owner IS ? OR status = 'queued') AND status IN ('queued', 'running')`,
    priority,
    store.now(),
    job.id,
    job.lane,
    owner,
  );
  if (changes === 1) store.logEvent('job_upgrade', job.article_id, { jobId: job.id, lane: job.lane });
  return changes === 1;
}

/** Cancels an article's open jobs of a kind (a regenerate supersedes the queued one). Running jobs lose their lease. */
export function cancelOpenJobs(store: Store, articleId: string, kind: JobKind): number {
  const { changes } = store.db.run(
    `UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, finished_at = ?
     WHERE article_id = ? AND kind = ? AND finished_at IS NULL`,
    store.now(),
    store.now(),
    articleId,
    kind,
  );
  if (changes > 0) store.logEvent('job_cancelled', articleId, { kind, count: changes });
  return changes;
}

export function openJob(store: Store, articleId: string, kind: JobKind): JobRow | undefined {
  return store.db.get<JobRow>(OPEN_JOB_SQL, articleId, kind);
}

/** Who holds each running job's lease (to tell a crashed run's jobs from a live neighbour's). */
export function runningJobOwners(store: Store): { owner: string | null; leaseExpiresAt: number | null }[] {
  return store.db
    .all<{ lease_owner: string | null; lease_expires_at: number | null }>(
      "SELECT lease_owner, lease_expires_at FROM jobs WHERE status = 'running'",
    )
    .map((row) => ({ owner: row.lease_owner, leaseExpiresAt: row.lease_expires_at }));
}

/**
 * Ends the leases `owner` still holds, so the next claim takes its running jobs as it would after
 * they expired. Leases already ended are not counted again (another process on the file got there first).
 */
export function endLeasesOf(store: Store, owner: string): number {
  const now = store.now();
  return Number(
    store.db.run(
      "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE status = 'running' AND lease_owner = ? AND lease_expires_at >= ?",
      now - 1,
      now,
      owner,
      now,
    ).changes,
  );
}

/** Jobs queued or running (waiting out a backoff included). */
export function openJobCount(store: Store): number {
  return Number(store.db.get<{ n: number }>(OPEN_JOB_COUNT_SQL)?.n ?? 0);
}

export function countJobs(store: Store, status: JobStatus): number {
  return Number(store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM jobs WHERE status = ?', status)?.n ?? 0);
}

/** True while `owner` still holds the running job's lease; effects are only written when it does. */
export function holdsLease(store: Store, jobId: number, owner: string): boolean {
  const row = store.db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM jobs WHERE id = ? AND lease_owner = ? AND status = 'running'",
    jobId,
    owner,
  );
  return Number(row?.n ?? 0) === 1;
}
