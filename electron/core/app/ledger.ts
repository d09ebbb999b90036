// Ledger totals for the contract: spend per tier for one UTC day (with each tier's budget), per
// article, per section for the day and the month, the calls a crash cut off (counted at their
// estimate), and what the stories waiting for an image are expected to cost. Sums are what the
// providers billed; only the queue's line is a forecast.
import type { Ledger } from '../../../shared/contract.ts';
import { TIERS, TierSchema, type Tier } from '../../../shared/domain.ts';
import type { TierConfig } from '../config/schema.ts';
import { spendByLane } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

export interface LedgerQuery {
  /** YYYY-MM-DD (UTC); default today. */
  day?: string;
  /** YYYY-MM; default the day's month. */
  month?: string;
  /** One image on a tier, from the price table; null = unknown. */
  estimateUsd?(tier: Tier): number | null;
}

export function ledgerFor(store: Store, tiers: Record<Tier, TierConfig>, query: LedgerQuery = {}): Ledger {
  const start = query.day ? Date.parse(`${query.day}T00:00:00Z`) : new Date(store.now()).setUTCHours(0, 0, 0, 0);
  const end = start + DAY_MS;
  const month = query.month ?? new Date(start).toISOString().slice(0, 7);
  const monthStart = Date.parse(`${month}-01T00:00:00Z`);
  const monthEnd = nextMonth(monthStart);

  const byLane = new Map(spendByLane(store, start, end).map((row) => [row.lane, row]));
  const articles = store.db
    .all<{ articleId: string; headline: string; costUsd: number; status: string }>(
      `SELECT a.article_id AS articleId, ar.headline AS headline, SUM(a.cost_usd) AS costUsd, ar.status AS status
       FROM attempts a JOIN articles ar ON ar.id = a.article_id
       WHERE a.started_at >= ? AND a.started_at < ? GROUP BY a.article_id ORDER BY costUsd DESC, a.article_id`,
      start,
      end,
    )
    .map((row) => ({ ...row, costUsd: round(Number(row.costUsd)) }));
  const tierRows = TIERS.map((tier) => ({
    tier,
    costUsd: round(byLane.get(tier)?.costUsd ?? 0),
    calls: byLane.get(tier)?.calls ?? 0,
    budgetUsd: tiers[tier].dailyBudgetUsd,
  }));
  const interrupted = store.db.get<{ calls: number; costUsd: number | null }>(
    "SELECT COUNT(*) AS calls, SUM(cost_usd) AS costUsd FROM attempts WHERE outcome = 'interrupted' AND started_at >= ? AND started_at < ?",
    start,
    end,
  );
  return {
    day: new Date(start).toISOString().slice(0, 10),
    totalUsd: round(tierRows.reduce((sum, row) => sum + row.costUsd, 0)),
    tiers: tierRows,
    articles,
    month,
    monthTotalUsd: round(Number(store.db.get<{ total: number | null }>('SELECT SUM(cost_usd) AS total FROM attempts WHERE started_at >= ? AND started_at < ?', monthStart, monthEnd)?.total ?? 0)),
    sections: sectionTotals(store, { start, end }, { start: monthStart, end: monthEnd }),
    interrupted: { calls: Number(interrupted?.calls ?? 0), costUsd: round(Number(interrupted?.costUsd ?? 0)) },
    queued: queuedForecast(store, query.estimateUsd ?? (() => null)),
  };
}

/** Per section: the day's and the month's spend (a section with spend in either is listed). */
function sectionTotals(store: Store, day: { start: number; end: number }, month: { start: number; end: number }): Ledger['sections'] {
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
    .map((row) => ({ section: row.section, dayUsd: round(Number(row.dayUsd ?? 0)), monthUsd: round(Number(row.monthUsd ?? 0)), calls: Number(row.calls) }));
}

/** Stories waiting for (or in the middle of) an image: one image each at their tier's forecast. */
function queuedForecast(store: Store, estimateUsd: (tier: Tier) => number | null): Ledger['queued'] {
  const open = store.db.all<{ lane: string; jobs: number }>(
    "SELECT lane, COUNT(*) AS jobs FROM jobs WHERE kind = 'generate' AND finished_at IS NULL GROUP BY lane",
  );
  const counts = new Map(open.map((row) => [row.lane, Number(row.jobs)]));
  let estimatedUsd = 0;
  let unpriced = 0;
  const tierRows = TIERS.map((tier) => {
    const jobs = counts.get(tier) ?? 0;
    const perImageUsd = estimateUsd(TierSchema.parse(tier));
    if (perImageUsd === null) unpriced += jobs;
    else estimatedUsd += jobs * perImageUsd;
    return { tier, jobs, perImageUsd };
  });
  return { jobs: tierRows.reduce((sum, row) => sum + row.jobs, 0), estimatedUsd: round(estimatedUsd), unpriced, tiers: tierRows };
}

function nextMonth(monthStart: number): number {
  const date = new Date(monthStart);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
