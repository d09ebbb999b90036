// At start: provider calls begun by a process that died during them (a crash, a kill) are marked
// 'interrupted' and costed at their estimate, so the ledger counts what the provider may have
// billed. Calls of a job still held by a live process are left alone (it may finish them); its
// next claim marks them otherwise (pipeline/generate-job.ts).
import type { Logger } from '../base/log.ts';
import { markInterruptedAttempts, runningAttemptJobs } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';
import { ownerGone } from './resumed.ts';

export function countInterruptedCalls(store: Store, logger: Pick<Logger, 'warn'>): { calls: number; costUsd: number } {
  const now = store.now();
  const jobs = runningAttemptJobs(store);
  let calls = 0;
  let costUsd = 0;
  for (const job of jobs) {
    if (job.status === 'running' && !ownerGone(job.leaseOwner, job.leaseExpiresAt, now)) continue;
    const marked = markInterruptedAttempts(store, job.jobId);
    calls += marked.calls;
    costUsd += marked.costUsd;
  }
  if (calls > 0) {
    logger.warn(
      { calls, costUsd },
      `${calls} provider ${calls === 1 ? 'call was' : 'calls were'} cut off by an unclean stop; counted at the estimated $${costUsd.toFixed(4)}`,
    );
    store.notice(
      'warn',
      `${calls} provider ${calls === 1 ? 'call' : 'calls'} cut off by an unclean stop, counted in the ledger at their estimated cost ($${costUsd.toFixed(4)})`,
    );
  }
  return { calls, costUsd: Math.round(costUsd * 1e6) / 1e6 };
}
