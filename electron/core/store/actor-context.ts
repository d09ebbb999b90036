// Who the current command runs for (issue 13), carried across awaits by AsyncLocalStorage so every
// event a command writes is attributed without threading a parameter through the pipeline. Work the
// command only sets in motion (the queue's next claim, listeners reacting to the commit) runs
// outside it: that is the desk's own doing, not the editor's.
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<string>();

export function runAs<T>(actorName: string, work: () => T): T {
  return context.run(actorName, work);
}

/** The name of the person the current command runs for; null for the desk's own work. */
export function currentActor(): string | null {
  return context.getStore() ?? null;
}

/** Runs `work` (and whatever it schedules) as the desk itself. */
export function asDesk<T>(work: () => T): T {
  return context.exit(work);
}
