// What a job handler tells the engine. Handlers return these rather than throwing, so the
// decision (retry here, drop a lane, give up) is explicit and testable.
import { AdapterError } from '../adapters/types.ts';

export type JobOutcome =
  /** `effect` runs in the same transaction that marks the job done: exactly once. */
  | { type: 'done'; effect?: () => void }
  /** Try again in this lane after a backoff (until the lane's maxAttempts). */
  | { type: 'retry'; error: string; retryAfterMs?: number | null }
  /** This lane cannot do it: move to the next lane now. */
  | { type: 'demote'; error: string }
  /** Nothing will make this succeed. */
  | { type: 'fail'; error: string };

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An exception escaping a handler: adapters' classified errors map to outcomes; anything else is retried. */
export function classifyFailure(error: unknown): JobOutcome {
  if (error instanceof AdapterError) {
    if (error.kind === 'retryable') return { type: 'retry', error: error.message, retryAfterMs: error.retryAfterMs };
    return { type: 'demote', error: error.message };
  }
  return { type: 'retry', error: errorMessage(error) };
}
