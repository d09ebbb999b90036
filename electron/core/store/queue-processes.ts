// The processes working this file's queue — the desk and its `hero-desk worker`s — with the lanes
// each claims from, renewed every few seconds (app/queue-core.ts). Read to tell a lane nothing
// claims (a desk started with --lanes and no worker) and to show who works in `hero-desk queue`.
import { z } from 'zod';
import { LaneSchema, type QueueProcess } from '../../../shared/domain.ts';
import type { Store } from './store.ts';

/** A process not seen for this long no longer counts as claiming its lanes (it renews every 2 s). */
export const PROCESS_STALE_MS = 10_000;

interface ProcessRow {
  owner: string;
  role: QueueProcess['role'];
  lanes: string;
  started_at: number;
  seen_at: number;
}

const LanesSchema = z.array(LaneSchema);

export function registerQueueProcess(store: Store, owner: string, role: QueueProcess['role'], lanes: readonly string[]): void {
  const now = store.now();
  store.transaction(() => {
    store.db.run(
      `INSERT INTO queue_processes (owner, role, lanes, started_at, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (owner) DO UPDATE SET role = excluded.role, lanes = excluded.lanes, seen_at = excluded.seen_at`,
      owner,
      role,
      JSON.stringify(lanes),
      now,
      now,
    );
    // every board's queue panel lists who works: it hears of a process joining or leaving
    store.logEvent('queue_joined', null, { owner, role, lanes });
    store.queueChanged();
  });
}

export function touchQueueProcess(store: Store, owner: string): void {
  store.transaction(() => store.db.run('UPDATE queue_processes SET seen_at = ? WHERE owner = ?', store.now(), owner));
}

export function removeQueueProcesses(store: Store, owners: readonly string[]): void {
  if (owners.length === 0) return;
  store.transaction(() => {
    for (const owner of owners) {
      if (store.db.run('DELETE FROM queue_processes WHERE owner = ?', owner).changes === 0) continue;
      store.logEvent('queue_left', null, { owner });
      store.queueChanged();
    }
  });
}

/** The processes seen since `seenSince` (all when 0), the desk first, then the oldest worker first. */
export function queueProcesses(store: Store, seenSince = 0): QueueProcess[] {
  return store.db
    .all<ProcessRow>(
      "SELECT owner, role, lanes, started_at, seen_at FROM queue_processes WHERE seen_at >= ? ORDER BY role = 'worker', started_at",
      seenSince,
    )
    .map((row) => ({
      owner: row.owner,
      role: row.role,
      lanes: LanesSchema.catch([]).parse(JSON.parse(row.lanes)),
      startedAt: row.started_at,
      seenAt: row.seen_at,
    }));
}
