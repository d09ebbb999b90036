// Storage or the publisher keeps failing: one open problem (raised after a few tries of one job,
// at once when the fault is permanent), never a toast per retry. A later success of the same work
// closes it: storing a new image and storing a publication's variants are separate problems, since
// one can work while the other fails (a bucket policy per prefix; a folder whose new subfolders are
// refused) and a success of the one must not close the other's problem while it still fails.
import { classifyError } from '../base/failures.ts';
import { raiseProblem } from '../store/problems.ts';
import type { JobContext } from '../queue/engine.ts';
import type { PipelineDeps } from './deps.ts';

/** Tries of one job before a transient fault is worth an open problem (a relay restart is not). */
const PROBLEM_AFTER_TRIES = 3;

/** The problem each watched piece of work raises (and its success closes). */
export const WATCHED_PROBLEMS = {
  /** Storing a publication's variants (the publish job). */
  storage: 'storage',
  /** Storing a newly generated image and its thumbnail (the generate job). */
  newImages: 'storage:new-images',
  publisher: 'publisher',
} as const;
type WatchedWork = keyof typeof WATCHED_PROBLEMS;

export async function watched<T>(
  deps: Pick<PipelineDeps, 'store' | 'storage' | 'publisher'>,
  context: JobContext,
  what: WatchedWork,
  work: () => Promise<T>,
): Promise<T> {
  const area = what === 'publisher' ? 'publisher' : 'storage';
  try {
    return await work();
  } catch (error) {
    if (context.signal.aborted) throw error;
    const { kind, message } = classifyError(error);
    if (kind !== 'retryable' || context.job.attempts >= PROBLEM_AFTER_TRIES) {
      const name =
        what === 'publisher'
          ? `Publishing (${deps.publisher.name})`
          : `Image storage (${deps.storage.name}${what === 'newImages' ? ', new images' : ''})`;
      raiseProblem(deps.store, {
        id: WATCHED_PROBLEMS[what],
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
