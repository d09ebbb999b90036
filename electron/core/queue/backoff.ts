// Retry delays for queue jobs. The delay is persisted as the job's `run_after`, so a retry
// survives a restart; that is why this is not an in-process retry library (p-retry is used
// inside adapters, where a retry lives and dies with one call).

/** "Full jitter" exponential backoff (AWS architecture blog): random in [0, min(cap, base·2^n)]. */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
