// A lane is where jobs wait for a worker: one per tier for generate jobs, plus 'publish'.
// Lanes form a chain through `next`: a job that misses its lane's deadline, or exhausts its
// attempts there, drops to the next lane (breaking → regular → default).
export interface LaneConfig {
  name: string;
  concurrency: number;
  /** Time a job may spend in this lane (queued + running) before it drops to `next`; null = no deadline. */
  deadlineMs: number | null;
  next: string | null;
  /** Runs in this lane before the job drops to `next` (or fails when there is none). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export function laneDeadline(lane: LaneConfig, now: number): number | null {
  return lane.deadlineMs === null ? null : now + lane.deadlineMs;
}

/** An upgrade is background work: it waits behind every story that has no image yet. */
export const UPGRADE_PRIORITY = 5;

/** Job priority: breaking news first, and an editor who is waiting (regenerate) jumps the queue. */
export function jobPriority(breaking: boolean, editorRequested: boolean): number {
  return (breaking ? 20 : 10) + (editorRequested ? 5 : 0);
}
