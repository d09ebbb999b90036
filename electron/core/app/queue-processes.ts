// Who works this file's queue: each process (the desk, every `hero-desk worker`) registers with its
// lanes and renews its row every sweep; a row whose process died on this machine, or that was not
// renewed for a minute, is removed. The desk also watches for a lane with waiting jobs that no live
// process claims (started with --lanes and no worker, or the last worker stopped) and says so as a
// problem with the next step, instead of letting stories wait in silence.
import type { Lane, QueueProcess } from '../../../shared/domain.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';
import {
  PROCESS_STALE_MS,
  queueProcesses,
  registerQueueProcess,
  removeQueueProcesses,
  touchQueueProcess,
} from '../store/queue-processes.ts';
import { queueState } from '../store/queue-state.ts';
import type { Store } from '../store/store.ts';
import { ownerGone } from './resumed.ts';

/** A row not renewed for this long is removed (its process is gone, on this machine or another). */
const PROCESS_FORGOTTEN_MS = 60_000;
/** How long a lane may go unclaimed with work waiting before it is a problem (a worker restarting). */
const UNCLAIMED_GRACE_MS = 10_000;

export const UNCLAIMED_PROBLEM_ID = 'queue:unclaimed';

export interface ProcessRegistry {
  /** Renews this process, forgets dead ones, and (on the desk) checks every lane is claimed. */
  sweep(): void;
  stop(): void;
}

export function startProcessRegistry(
  store: Store,
  self: { owner: string; role: QueueProcess['role']; lanes: readonly Lane[] },
): ProcessRegistry {
  registerQueueProcess(store, self.owner, self.role, self.lanes);
  const unclaimedSince = new Map<Lane, number>();
  return {
    sweep() {
      const now = store.now();
      touchQueueProcess(store, self.owner);
      // a dead pid on this machine at once; a process elsewhere once it has not renewed for a minute
      const gone = queueProcesses(store).filter((p) => p.owner !== self.owner && ownerGone(p.owner, p.seenAt + PROCESS_FORGOTTEN_MS, now));
      removeQueueProcesses(
        store,
        gone.map((p) => p.owner),
      );
      if (self.role === 'desk') checkClaimed(store, now, unclaimedSince);
    },
    stop() {
      removeQueueProcesses(store, [self.owner]);
    },
  };
}

function checkClaimed(store: Store, now: number, unclaimedSince: Map<Lane, number>): void {
  const claimed = new Set(queueProcesses(store, now - PROCESS_STALE_MS).flatMap((p) => p.lanes));
  const waiting: { lane: Lane; queued: number }[] = [];
  for (const lane of queueState(store).lanes) {
    if (lane.queued === 0 || lane.paused || claimed.has(lane.name)) {
      unclaimedSince.delete(lane.name);
      continue;
    }
    const since = unclaimedSince.get(lane.name) ?? now;
    unclaimedSince.set(lane.name, since);
    if (now - since >= UNCLAIMED_GRACE_MS) waiting.push({ lane: lane.name, queued: lane.queued });
  }
  if (waiting.length === 0) {
    resolveProblem(store, UNCLAIMED_PROBLEM_ID);
    return;
  }
  const jobs = waiting.reduce((sum, w) => sum + w.queued, 0);
  const names = waiting.map((w) => w.lane).join(', ');
  const generating = waiting.some((w) => w.lane !== 'publish');
  raiseProblem(store, {
    id: UNCLAIMED_PROBLEM_ID,
    area: 'config',
    level: 'warn',
    message: `Nothing takes jobs from the ${names} ${waiting.length === 1 ? 'lane' : 'lanes'}: ${jobs} ${jobs === 1 ? 'story waits' : 'stories wait'} (this desk runs with --lanes, and no hero-desk worker claims ${waiting.length === 1 ? 'it' : 'them'})`,
    action: generating
      ? 'start hero-desk worker on this data directory (it takes breaking, regular and default), or restart the desk without --lanes'
      : 'restart the desk with publish in --lanes (or without --lanes)',
  });
}
