// Ledger totals for the contract: spend per tier for one UTC day (with each tier's budget) and
// per article (every attempt counts, including the ones nobody saw).
import type { Ledger } from '../../../shared/contract.ts';
import { TIERS, type Tier } from '../../../shared/domain.ts';
import type { TierConfig } from '../config/schema.ts';
import { spendByLane } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

export function ledgerFor(store: Store, tiers: Record<Tier, TierConfig>, day?: string): Ledger {
  const start = day ? Date.parse(`${day}T00:00:00Z`) : new Date(store.now()).setUTCHours(0, 0, 0, 0);
  const end = start + DAY_MS;
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
  return {
    day: new Date(start).toISOString().slice(0, 10),
    totalUsd: round(tierRows.reduce((sum, row) => sum + row.costUsd, 0)),
    tiers: tierRows,
    articles,
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
