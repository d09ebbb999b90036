// What a job handler tells the engine. Handlers return these rather than throwing, so the
// decision (retry here, drop a lane, give up) is explicit and testable.
import { classifyError, errorMessage, isDiskFull } from '../base/failures.ts';

export { errorMessage };

export type JobOutcome =
  /** `effect` runs in the same transaction that marks the job done: exactly once. */
  | { type: 'done'; effect?: () => void }
  /**
   * Try again in this lane after a backoff (until the lane's maxAttempts). `machine`: the
   * machine failed, not the lane (a full disk): the attempt is given back, so the job waits
   * for the machine however long it takes and is never moved down or failed for it.
   */
  | { type: 'retry'; error: string; retryAfterMs?: number | null; machine?: boolean }
  /** This lane cannot do it: move to the next lane now. */
  | { type: 'demote'; error: string }
  /** Nothing will make this succeed. */
  | { type: 'fail'; error: string };

/** An exception escaping a handler, through the one failure policy: transient → retry, permanent → next lane. */
export function classifyFailure(error: unknown): JobOutcome {
  const failure = classifyError(error);
  if (isDiskFull(error)) return { type: 'retry', error: failure.message, retryAfterMs: failure.retryAfterMs, machine: true };
  if (failure.kind === 'retryable') return { type: 'retry', error: failure.message, retryAfterMs: failure.retryAfterMs };
  return { type: 'demote', error: failure.message };
}
