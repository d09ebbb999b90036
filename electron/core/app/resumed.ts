// After an unclean stop (a crash, a kill, a power cut) the jobs that were running wait for their
// leases to run out and are then taken up again. Say so once, at start, in the log and on the board,
// so nobody wonders why a story went back to work.
import { hostname } from 'node:os';
import type { Logger } from '../base/log.ts';
import { endLeasesOf, runningJobOwners } from '../store/jobs.ts';
import type { Store } from '../store/store.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lease holder that is gone: a dead pid on this machine, or (elsewhere) a lease that ran out. */
export function ownerGone(owner: string | null, leaseExpiresAt: number | null, now: number): boolean {
  const [host, pid] = (owner ?? '').split(':');
  if (host === hostname() && pid !== undefined && Number.isInteger(Number(pid))) return !processAlive(Number(pid));
  return leaseExpiresAt !== null && leaseExpiresAt < now;
}

/** Jobs left running by a process that is gone (same machine, dead pid) or whose lease ran out. */
export function announceResumedJobs(store: Store, logger: Logger): number {
  const now = store.now();
  const interrupted = runningJobOwners(store).filter(({ owner, leaseExpiresAt }) => ownerGone(owner, leaseExpiresAt, now)).length;
  if (interrupted > 0) {
    const message = `${interrupted} ${interrupted === 1 ? 'job' : 'jobs'} resumed after an unclean stop`;
    logger.warn({ jobs: interrupted }, message);
    store.notice('info', `${message}; their stories go back to work`);
  }
  return interrupted;
}

/**
 * A dead process on this machine (the desktop's core process after a crash, a killed `hero-desk
 * start`) cannot renew its leases: end them now, so its jobs are taken up at once rather than when
 * the lease would have run out. Leases held elsewhere are left to expire; a live pid is never touched.
 */
export function releaseDeadLocalLeases(store: Store): number {
  const now = store.now();
  const here = `${hostname()}:`;
  const owners = new Set(
    runningJobOwners(store).flatMap(({ owner, leaseExpiresAt }) =>
      owner?.startsWith(here) && ownerGone(owner, leaseExpiresAt, now) ? [owner] : [],
    ),
  );
  let released = 0;
  for (const owner of owners) released += endLeasesOf(store, owner);
  return released;
}
