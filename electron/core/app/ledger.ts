// Ledger totals for the contract: spend per tier for one UTC day (with each tier's budget), per
// article, per section for the day and the month, the calls a crash cut off (counted at their
// estimate), and what the stories waiting for an image are expected to cost. Sums are what the
// providers billed; only the queue's line is a forecast.
import type { Ledger } from '../../../shared/contract.ts';
import { TIERS, TierSchema, type Tier } from '../../../shared/domain.ts';
import type { TierConfig } from '../config/schema.ts';
import { spendByLane } from '../store/attempts.ts';
import { interruptedSpend, openGenerateJobsByLane, spendByArticle, spendBySection, totalSpend } from '../store/ledger-queries.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

export interface LedgerQuery {
  /** YYYY-MM-DD (UTC); default today. */
  day?: string;
  /** YYYY-MM; default the day's month. */
  month?: string;
  /** One image on a tier, from the price table; null = unknown. */
  estimateUsd?: (tier: Tier) => number | null;
}

export function ledgerFor(store: Store, tiers: Record<Tier, TierConfig>, query: LedgerQuery = {}): Ledger {
  const start = query.day ? Date.parse(`${query.day}T00:00:00Z`) : new Date(store.now()).setUTCHours(0, 0, 0, 0);
  const end = start + DAY_MS;
  const month = query.month ?? new Date(start).toISOString().slice(0, 7);
  const monthStart = Date.parse(`${month}-01T00:00:00Z`);
  const monthEnd = nextMonth(monthStart);

  const byLane = new Map(spendByLane(store, start, end).map((row) => [row.lane, row]));
  const articles = spendByArticle(store, { start, end }).map((row) => ({ ...row, costUsd: round(row.costUsd) }));
  const tierRows = TIERS.map((tier) => ({
    tier,
    costUsd: round(byLane.get(tier)?.costUsd ?? 0),
    calls: byLane.get(tier)?.calls ?? 0,
    budgetUsd: tiers[tier].dailyBudgetUsd,
  }));
  const interrupted = interruptedSpend(store, { start, end });
  return {
    day: new Date(start).toISOString().slice(0, 10),
    totalUsd: round(tierRows.reduce((sum, row) => sum + row.costUsd, 0)),
    tiers: tierRows,
    articles,
    month,
    monthTotalUsd: round(totalSpend(store, { start: monthStart, end: monthEnd })),
    sections: spendBySection(store, { start, end }, { start: monthStart, end: monthEnd }).map((row) => ({
      ...row,
      dayUsd: round(row.dayUsd),
      monthUsd: round(row.monthUsd),
    })),
    interrupted: { calls: interrupted.calls, costUsd: round(interrupted.costUsd) },
    queued: queuedForecast(store, query.estimateUsd ?? (() => null)),
  };
}

/** Stories waiting for (or in the middle of) an image: one image each at their tier's forecast. */
function queuedForecast(store: Store, estimateUsd: (tier: Tier) => number | null): Ledger['queued'] {
  const counts = openGenerateJobsByLane(store);
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
