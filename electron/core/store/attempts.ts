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
}

export function recordAttempt(store: Store, attempt: NewAttempt): number {
  const finishedAt = store.now();
  return store.transaction(() => {
    const { lastInsertRowid } = store.db.run(
      `INSERT INTO attempts (job_id, article_id, lane, step, provider, model, prompt, seed, started_at, finished_at, duration_ms,
         cost_usd, outcome, error, score, image_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
    store.logEvent('attempt', attempt.articleId, { provider: attempt.provider, outcome: attempt.outcome, costUsd: attempt.costUsd });
    return lastInsertRowid;
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
  /** A generation call's prompt (board rows read it; other readers leave it out). */
  prompt?: string | null;
}

export const ATTEMPTS_FOR_SQL = 'SELECT id, step, provider, model, outcome, error, score, cost_usd, finished_at FROM attempts WHERE article_id = ? ORDER BY id';

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
