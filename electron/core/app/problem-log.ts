// Problems go to the log twice: once when they open (or change), once when they clear, however
// often the fault is retried in between.
import type { Logger } from '../base/log.ts';
import type { Store } from '../store/store.ts';

export function logProblems(store: Store, logger: Logger): () => void {
  return store.onChange((changes) => {
    for (const { change, problem } of changes.problems) {
      if (change === 'updated') continue; // its wording changed; the board shows that, the log already has it
      const text = `${problem.message}${problem.action ? ` — ${problem.action}` : ''}`;
      if (change === 'resolved') logger.info({ problem: problem.id }, `resolved: ${problem.message}`);
      else if (problem.level === 'error') logger.error({ problem: problem.id }, `problem: ${text}`);
      else logger.warn({ problem: problem.id }, `problem: ${text}`);
    }
  });
}
