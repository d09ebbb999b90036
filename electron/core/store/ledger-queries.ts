// The ledger's reads: spend from `attempts` per article, per section and in total over a time range,
// the calls a crash cut off, and the generate jobs still open per lane. Rows come back as numbers
// (SQLite's SUM is null over no rows); app/ledger.ts shapes them for the contract.
import type { Store } from './store.ts';

export interface TimeRange {
  start: number;
  end: number;
}

export function spendByArticle(store: Store, range: TimeRange): { articleId: string; headline: string; costUsd: number; status: string }[] {
  return store.db
    .all<{ articleId: string; headline: string; costUsd: number | null; status: string }>(
      `SELECT a.article_id AS articleId, ar.headline AS headline, SUM(a.cost_usd) AS costUsd, ar.status AS status
       FROM attempts a JOIN articles ar ON ar.id = a.article_id
       WHERE a.started_at >= ? AND a.started_at < ? GROUP BY a.article_id ORDER BY costUsd DESC, a.article_id`,
      range.start,
      range.end,
    )
    .map((row) => ({ ...row, costUsd: Number(row.costUsd ?? 0) }));
}

export function totalSpend(store: Store, range: TimeRange): number {
  const row = store.db.get<{ total: number | null }>(
    'SELECT SUM(cost_usd) AS total FROM attempts WHERE started_at >= ? AND started_at < ?',
    range.start,
    range.end,
  );
  return Number(row?.total ?? 0);
}

export function interruptedSpend(store: Store, range: TimeRange): { calls: number; costUsd: number } {
  const row = store.db.get<{ calls: number; costUsd: number | null }>(
    "SELECT COUNT(*) AS calls, SUM(cost_usd) AS costUsd FROM attempts WHERE outcome = 'interrupted' AND started_at >= ? AND started_at < ?",
    range.start,
    range.end,
  );
  return { calls: Number(row?.calls ?? 0), costUsd: Number(row?.costUsd ?? 0) };
}

/** Per section: the day's and the month's spend (a section with spend in either is listed). */
export function spendBySection(
  store: Store,
  day: TimeRange,
  month: TimeRange,
): { section: string; dayUsd: number; monthUsd: number; calls: number }[] {
  const from = Math.min(day.start, month.start);
  const until = Math.max(day.end, month.end);
  return store.db
    .all<{ section: string; dayUsd: number | null; monthUsd: number | null; calls: number }>(
      `SELECT ar.section AS section,
         SUM(CASE WHEN a.started_at >= ? AND a.started_at < ? THEN a.cost_usd ELSE 0 END) AS dayUsd,
         SUM(CASE WHEN a.started_at >= ? AND a.started_at < ? THEN a.cost_usd ELSE 0 END) AS monthUsd,
         SUM(CASE WHEN a.started_at >= ? AND a.started_at < ? THEN 1 ELSE 0 END) AS calls
       FROM attempts a JOIN articles ar ON ar.id = a.article_id
       WHERE a.started_at >= ? AND a.started_at < ? GROUP BY ar.section ORDER BY monthUsd DESC, ar.section`,
      day.start,
      day.end,
      month.start,
      month.end,
      month.start,
      month.end,
      from,
      until,
    )
    .map((row) => ({
      section: row.section,
      dayUsd: Number(row.dayUsd ?? 0),
      monthUsd: Number(row.monthUsd ?? 0),
      calls: Number(row.calls),
    }));
}

/** Generate jobs waiting for or in the middle of an image, per lane. */
export function openGenerateJobsByLane(store: Store): Map<string, number> {
  const rows = store.db.all<{ lane: string; jobs: number }>(
    "SELECT lane, COUNT(*) AS jobs FROM jobs WHERE kind = 'generate' AND finished_at IS NULL GROUP BY lane",
  );
  return new Map(rows.map((row) => [row.lane, Number(row.jobs)]));
}
