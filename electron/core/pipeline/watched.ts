// Storage or the publisher keeps failing: one open problem (raised after a few tries of one job,
// at once when the fault is permanent), never a toast per retry. A later success closes it.
import { classifyError } from '../base/failures.ts';
import { raiseProblem } from '../store/problems.ts';
import type { JobContext } from '../queue/engine.ts';
import type { PipelineDeps } from './deps.ts';

/** Tries of one job before a transient fault is worth an open problem (a relay restart is not). */
const PROBLEM_AFTER_TRIES = 3;

export async function watched<T>(deps: Pick<PipelineDeps, 'store' | 'storage' | 'publisher'>, context: JobContext, area: 'storage' | 'publisher', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (context.signal.aborted) throw error;
    const { kind, message } = classifyError(error);
    if (kind !== 'retryable' || context.job.attempts >= PROBLEM_AFTER_TRIES) {
      const name = area === 'storage' ? `Image storage (${deps.storage.name})` : `Publishing (${deps.publisher.name})`;
      raiseProblem(deps.store, {
        id: area,
        area: kind === 'auth' ? 'key' : area,
        level: kind === 'retryable' ? 'warn' : 'error',
        message: `${name} is failing: ${message}`,
        action:
          kind === 'retryable'
            ? `Hero Desk keeps retrying; approved stories go out once it works again`
            : kind === 'auth'
              ? 'Set the key it names in Keys (or its environment variable), then retry the stories'
              : 'Fix the setting it names in the config, then retry the stories',
      });
    }
    throw error;
  }
}

