// Which queue lanes an editor paused (kept in `meta`, so a pause outlives a restart: a pipeline
// someone stopped on purpose must not start spending again by itself), and what waits in each.
import { LANES, type Lane, type QueueState } from '../../../shared/domain.ts';
import { getMeta, setMeta } from './meta.ts';
import type { Store } from './store.ts';
import { PROCESS_STALE_MS, queueProcesses } from './queue-processes.ts';

const PAUSE_KEY = 'queue.paused';

interface PauseRecord {
  all: boolean;
  lanes: Lane[];
  since: number | null;
  by: string | null;
}

function readPause(store: Store): PauseRecord {
  const text = getMeta(store, PAUSE_KEY);
  if (text === null) return { all: false, lanes: [], since: null, by: null };
  try {
    const parsed = JSON.parse(text) as Partial<PauseRecord>;
    return {
      all: parsed.all === true,
      lanes: (parsed.lanes ?? []).filter((l): l is Lane => (LANES as readonly string[]).includes(l)),
      since: parsed.since ?? null,
      by: parsed.by ?? null,
    };
  } catch {
    return { all: false, lanes: [], since: null, by: null };
  }
}

export function isLanePaused(store: Store, lane: string): boolean {
  const pause = readPause(store);
  return pause.all || pause.lanes.includes(lane as Lane);
}

/** Pauses every lane (no `lane`) or one; returns false when it already was. */
export function setPaused(store: Store, paused: boolean, lane: Lane | undefined, by: string): boolean {
  return store.transaction(() => {
    const before = readPause(store);
    const next: PauseRecord =
      lane === undefined
        ? { ...before, all: paused, lanes: paused ? before.lanes : [] }
        : { ...before, lanes: paused ? [...new Set([...before.lanes, lane])] : before.lanes.filter((l) => l !== lane) };
    const anyPaused = next.all || next.lanes.length > 0;
    next.since = anyPaused ? (before.since ?? store.now()) : null;
    next.by = anyPaused ? by : null;
    if (JSON.stringify(next) === JSON.stringify(before)) return false;
    setMeta(store, PAUSE_KEY, JSON.stringify(next));
    store.logEvent(paused ? 'queue_paused' : 'queue_resumed', null, { lane: lane ?? 'all', by });
    store.queueChanged();
    return true;
  });
}

export function queueState(store: Store): QueueState {
  const pause = readPause(store);
  const counts = store.db.all<{ lane: string; status: string; n: number }>(
    'SELECT lane, status, COUNT(*) AS n FROM jobs WHERE finished_at IS NULL GROUP BY lane, status',
  );
  const count = (lane: string, status: string) => Number(counts.find((c) => c.lane === lane && c.status === status)?.n ?? 0);
  return {
    pausedAll: pause.all,
    lanes: LANES.map((name) => ({
      name,
      paused: pause.all || pause.lanes.includes(name),
      queued: count(name, 'queued'),
      running: count(name, 'running'),
    })),
    pausedSince: pause.since,
    pausedBy: pause.by,
    processes: queueProcesses(store, store.now() - PROCESS_STALE_MS),
  };
}

/** Moves an article's waiting job ahead of every other waiting job in its lane; false when it has none. */
export function prioritiseJob(store: Store, articleId: string): boolean {
  return store.transaction(() => {
    // the story's own job before a late upgrade waiting in the background; that one when it is all there is
    const job = store.db.get<{ id: number; lane: string }>(
      "SELECT id, lane FROM jobs WHERE article_id = ? AND status = 'queued' ORDER BY kind = 'upgrade', id LIMIT 1",
      articleId,
    );
    if (!job) return false;
    const top =
      store.db.get<{ p: number | null }>("SELECT MAX(priority) AS p FROM jobs WHERE lane = ? AND status = 'queued'", job.lane)?.p ?? 0;
    store.db.run('UPDATE jobs SET priority = ?, updated_at = ? WHERE id = ?', Number(top) + 1, store.now(), job.id);
    store.logEvent('prioritised', articleId, { jobId: job.id, lane: job.lane });
    return true;
  });
}
