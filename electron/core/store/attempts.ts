// The ledger: one row per provider or scorer call — successful, failed, refused or scored too
// low — with what it cost. Written as calls happen (not at job end), so a crash never hides spend.
import type { AttemptSummary } from '../../../shared/domain.ts';
import { storable } from './redact.ts';
import type { Store } from './store.ts';

export type AttemptOutcome = AttemptSummary['outcome'];

export interface NewAttempt {
  jobId: number;
  articleId: string;
  lane: string;
  step: 'generate' | 'score' | 'prompt';
  provider: string;
  model: string | null;
  prompt: string | null;
  seed: number | null;
  startedAt: number;
  costUsd: number;
  outcome: AttemptOutcome;
  error?: string | null;
  score?: number | null;
  imageId?: number | null;
  /** Past the tier's daily budget: who or what let the call through. */
  budgetOverride?: string | null;
}

export function recordAttempt(store: Store, attempt: NewAttempt): number {
  const finishedAt = store.now();
  return store.transaction(() => {
    const { lastInsertRowid } = store.db.run(
      `INSERT INTO attempts (job_id, article_id, lane, step, provider, model, prompt, seed, started_at, finished_at, duration_ms,
         cost_usd, outcome, error, score, image_id, budget_override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      attempt.jobId,
      attempt.articleId,
      attempt.lane,
      attempt.step,
      attempt.provider,
      attempt.model,
      attempt.prompt,
      attempt.seed,
      attempt.startedAt,
      finishedAt,
      finishedAt - attempt.startedAt,
      attempt.costUsd,
      attempt.outcome,
      storable(attempt.error),
      attempt.score ?? null,
      attempt.imageId ?? null,
      attempt.budgetOverride ?? null,
    );
    store.logEvent('attempt', attempt.articleId, { provider: attempt.provider, outcome: attempt.outcome, costUsd: attempt.costUsd });
    return lastInsertRowid;
  });
}

/** A provider call about to be made: recorded first, so a crash during it leaves a trace to cost. */
export type BegunAttempt = Omit<NewAttempt, 'costUsd' | 'outcome' | 'error' | 'score' | 'imageId'> & { estimatedUsd: number | null };

/** Records a call as under way (outcome 'running', nothing spent yet); `finishAttempt` completes the row. */
export function beginAttempt(store: Store, attempt: BegunAttempt): number {
  return store.transaction(() => {
    const { lastInsertRowid } = store.db.run(
      `INSERT INTO attempts (job_id, article_id, lane, step, provider, model, prompt, seed, started_at, finished_at, duration_ms,
         cost_usd, outcome, estimated_usd, budget_override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'running', ?, ?)`,
      attempt.jobId,
      attempt.articleId,
      attempt.lane,
      attempt.step,
      attempt.provider,
      attempt.model,
      attempt.prompt,
      attempt.seed,
      attempt.startedAt,
      attempt.startedAt,
      attempt.estimatedUsd,
      attempt.budgetOverride ?? null,
    );
    return lastInsertRowid;
  });
}

/** Completes a begun call with what it cost and how it ended. */
export function finishAttempt(
  store: Store,
  id: number,
  result: {
    articleId: string;
    provider: string;
    model: string | null;
    seed: number | null;
    costUsd: number;
    outcome: AttemptOutcome;
    error?: string | null;
  },
): void {
  const finishedAt = store.now();
  store.transaction(() => {
    store.db.run(
      `UPDATE attempts SET model = ?, seed = ?, cost_usd = ?, outcome = ?, error = ?, finished_at = ?, duration_ms = ? - started_at WHERE id = ?`,
      result.model,
      result.seed,
      result.costUsd,
      result.outcome,
      storable(result.error),
      finishedAt,
      finishedAt,
      id,
    );
    store.logEvent('attempt', result.articleId, { provider: result.provider, outcome: result.outcome, costUsd: result.costUsd });
  });
}

/** The jobs of provider calls still marked running, with their job's lease (null when the job is gone). */
export function runningAttemptJobs(
  store: Store,
): { jobId: number; status: string | null; leaseOwner: string | null; leaseExpiresAt: number | null }[] {
  return store.db.all<{ jobId: number; status: string | null; leaseOwner: string | null; leaseExpiresAt: number | null }>(
    `SELECT DISTINCT a.job_id AS jobId, j.status AS status, j.lease_owner AS leaseOwner, j.lease_expires_at AS leaseExpiresAt
     FROM attempts a LEFT JOIN jobs j ON j.id = a.job_id WHERE a.outcome = 'running'`,
  );
}

/**
 * Calls begun and never finished (the process died during them) become 'interrupted', costed at
 * their estimate: the provider may well have billed them. `jobId` limits it to one job (its new
 * claim); without it, every such call (start-up, before any job runs). Returns how many.
 */
export function markInterruptedAttempts(store: Store, jobId?: number): { calls: number; costUsd: number; articleIds: string[] } {
  return store.transaction(() => {
    const rows = store.db.all<{ id: number; article_id: string; provider: string; estimated_usd: number | null }>(
      `SELECT id, article_id, provider, estimated_usd FROM attempts WHERE outcome = 'running'${jobId === undefined ? '' : ' AND job_id = ?'}`,
      ...(jobId === undefined ? [] : [jobId]),
    );
    const now = store.now();
    let costUsd = 0;
    for (const row of rows) {
      const cost = row.estimated_usd ?? 0;
      costUsd += cost;
      store.db.run(
        `UPDATE attempts SET outcome = 'interrupted', cost_usd = ?, finished_at = ?, duration_ms = ? - started_at,
           error = 'cut off by an unclean stop; costed at its estimate' WHERE id = ?`,
        cost,
        now,
        now,
        row.id,
      );
      store.logEvent('attempt', row.article_id, { provider: row.provider, outcome: 'interrupted', costUsd: cost });
    }
    return { calls: rows.length, costUsd, articleIds: [...new Set(rows.map((row) => row.article_id))] };
  });
}

export interface AttemptRow {
  id: number;
  step: string;
  provider: string;
  model: string | null;
  outcome: AttemptOutcome;
  error: string | null;
  score: number | null;
  cost_usd: number;
  finished_at: number;
  seed: number | null;
  prompt: string | null;
  budget_override: string | null;
}

/** The columns the card's history is made from. */
export const ATTEMPT_COLUMNS = 'id, step, provider, model, outcome, error, score, cost_usd, finished_at, seed, prompt, budget_override';
export const ATTEMPTS_FOR_SQL = `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE article_id = ? ORDER BY id`;

export function attemptsFor(store: Store, articleId: string): AttemptRow[] {
  return store.db.all<AttemptRow>(ATTEMPTS_FOR_SQL, articleId);
}

/** Spend on a tier since `since` (ms epoch), for daily budget caps. */
export function spendSince(store: Store, lane: string, since: number): number {
  const row = store.db.get<{ total: number | null }>(
    'SELECT SUM(cost_usd) AS total FROM attempts WHERE lane = ? AND started_at >= ?',
    lane,
    since,
  );
  return Number(row?.total ?? 0);
}

/** Ledger totals for the contract: per tier for a day, and per article. */
export function spendByLane(store: Store, since: number, until: number): { lane: string; costUsd: number; calls: number }[] {
  return store.db
    .all<{ lane: string; total: number; calls: number }>(
      'SELECT lane, SUM(cost_usd) AS total, COUNT(*) AS calls FROM attempts WHERE started_at >= ? AND started_at < ? GROUP BY lane ORDER BY lane',
      since,
      until,
    )
    .map((row) => ({ lane: row.lane, costUsd: Number(row.total), calls: Number(row.calls) }));
}

export function spendForArticle(store: Store, articleId: string): number {
  const row = store.db.get<{ total: number | null }>('SELECT SUM(cost_usd) AS total FROM attempts WHERE article_id = ?', articleId);
  return Number(row?.total ?? 0);
}

/** A generation call as the prompt history and the candidates see it. */
export interface GenerateAttemptRow {
  id: number;
  prompt: string | null;
  outcome: AttemptOutcome;
  image_id: number | null;
  finished_at: number;
}

/** An article's generation calls, oldest first; their position (1-based) is the card's attempt number. */
export function generateAttemptsFor(store: Store, articleId: string): GenerateAttemptRow[] {
  return store.db.all<GenerateAttemptRow>(
    "SELECT id, prompt, outcome, image_id, finished_at FROM attempts WHERE article_id = ? AND step = 'generate' ORDER BY id",
    articleId,
  );
}

/** Ties a generation call to the image it made (the candidate's attempt number). */
export function linkAttemptImage(store: Store, attemptId: number, imageId: number): void {
  store.db.run('UPDATE attempts SET image_id = ? WHERE id = ?', imageId, attemptId);
}
