import { TIERS } from '../../../shared/domain.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import type { LaneConfig } from '../queue/lanes.ts';

/** The generate lanes (one per tier, chained breaking → regular → default) and the publish lane. */
export function buildLanes(config: HeroDeskConfig): LaneConfig[] {
  const lanes: LaneConfig[] = TIERS.map((tier, index) => {
    const tierConfig = config.tiers[tier];
    return {
      name: tier,
      concurrency: tierConfig.concurrency,
      deadlineMs: tierConfig.deadlineSeconds === null ? null : tierConfig.deadlineSeconds * 1000,
      next: TIERS[index + 1] ?? null,
      maxAttempts: tierConfig.maxAttempts,
      backoffBaseMs: 2_000,
      backoffCapMs: 60_000,
    };
  });
  // publishing retries until it succeeds: a relay or CDN outage delays it, never drops it
  const { baseMs, capMs } = config.publishRetry;
  lanes.push({
    name: 'publish',
    concurrency: 2,
    deadlineMs: null,
    next: null,
    maxAttempts: 1_000_000,
    backoffBaseMs: baseMs,
    backoffCapMs: capMs,
  });
  return lanes;
}
