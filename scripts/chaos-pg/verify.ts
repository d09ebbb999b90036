// What the PostgreSQL chaos run must show, from the rows it read back: every job done, each job's effect
// written exactly once, nothing left running or queued, and no lane ever running more than its limit.
// Pure, so test/chaos/pg-verify.test.ts can feed it broken histories.

export interface JobOutcomeRow {
  id: number;
  lane: string;
  status: string;
}

export interface EffectRow {
  jobId: number;
  lane: string;
  startedAt: number;
  settledAt: number;
}

export interface PgChaosVerdict {
  /** Jobs acknowledged by enqueue but not stored, or done without their effect (the work was lost). */
  lost: number[];
  /** Jobs whose effect was written more than once. */
  doubled: number[];
  /** Jobs that ended failed or cancelled (the faults are all transient: each should end done). */
  failed: number[];
  /** Jobs still queued or running when the run ended. */
  stuck: number[];
  /** Lanes whose completed runs overlapped more than the lane allows: lane → the most at once. */
  overLimit: Record<string, number>;
}

/** The most runs of one lane in flight at the same moment (intervals closed at start, open at settle). */
export function mostAtOnce(effects: readonly EffectRow[]): number {
  const edges = effects.flatMap((e) => [
    { at: e.startedAt, delta: 1 },
    { at: e.settledAt, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta); // an end and a start at the same ms do not overlap
  let now = 0;
  let most = 0;
  for (const edge of edges) {
    now += edge.delta;
    most = Math.max(most, now);
  }
  return most;
}

export function verifyPgChaos(
  enqueued: readonly number[],
  jobs: readonly JobOutcomeRow[],
  effects: readonly EffectRow[],
  limits: Record<string, number>,
): PgChaosVerdict {
  const stored = new Set(jobs.map((j) => j.id));
  const effectCount = new Map<number, number>();
  for (const e of effects) effectCount.set(e.jobId, (effectCount.get(e.jobId) ?? 0) + 1);
  const overLimit: Record<string, number> = {};
  for (const [lane, limit] of Object.entries(limits)) {
    const most = mostAtOnce(effects.filter((e) => e.lane === lane));
    if (most > limit) overLimit[lane] = most;
  }
  return {
    lost: [
      ...enqueued.filter((id) => !stored.has(id)),
      ...jobs.filter((j) => j.status === 'done' && !effectCount.has(j.id)).map((j) => j.id),
    ],
    doubled: [...effectCount].filter(([, n]) => n > 1).map(([id]) => id),
    failed: jobs.filter((j) => j.status === 'failed' || j.status === 'cancelled').map((j) => j.id),
    stuck: jobs.filter((j) => j.status === 'queued' || j.status === 'running').map((j) => j.id),
    overLimit,
  };
}

export function verdictPassed(verdict: PgChaosVerdict): boolean {
  return (
    verdict.lost.length + verdict.doubled.length + verdict.failed.length + verdict.stuck.length === 0 &&
    Object.keys(verdict.overLimit).length === 0
  );
}

export function verdictLine(verdict: PgChaosVerdict, jobs: number, kills: number, workers: number): string {
  const over = Object.values(verdict.overLimit).length;
  return (
    `pg chaos: ${workers} workers, ${kills} SIGKILLs, ${jobs} jobs: lost ${verdict.lost.length}, doubled ${verdict.doubled.length}, ` +
    `failed ${verdict.failed.length}, stuck ${verdict.stuck.length}, lanes over their limit ${over}`
  );
}
