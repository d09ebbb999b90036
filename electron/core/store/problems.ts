// Open problems: faults that outlast one retry (AITable unreachable, a key rejected, the disk
// full). Raising the same id again updates the row (and counts it) instead of adding one, so a
// fault retried every few seconds is one problem, logged once when it opens and once when it clears.
// When the database itself cannot write (the disk is full) a problem is held in memory: the
// board hears about it at once (Store.announce) and it is written once writes succeed again.
import type { Problem } from '../../../shared/domain.ts';
import { isDiskFull } from '../base/failures.ts';
import { storable } from './redact.ts';
import type { Store } from './store.ts';

export type ProblemInput = Pick<Problem, 'id' | 'area' | 'level' | 'message'> & { action?: string | null };

interface ProblemRow {
  id: string;
  area: Problem['area'];
  level: Problem['level'];
  message: string;
  action: string | null;
  opened_at: number;
  updated_at: number;
  occurrences: number;
}

function toProblem(row: ProblemRow): Problem {
  return {
    id: row.id,
    area: row.area,
    level: row.level,
    message: row.message,
    action: row.action,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    occurrences: row.occurrences,
  };
}

/** Problems raised while the database could not write, per store, until they are written. */
const held = new WeakMap<Store, Map<string, Problem>>();

/** Opens the problem, or updates it when already open; the board hears only about real changes. */
export function raiseProblem(store: Store, raw: ProblemInput): void {
  const input = { ...raw, message: storable(raw.message), action: storable(raw.action) };
  // inside a caller's transaction the failure is the caller's to handle (it rolls back)
  if (store.inTransaction) return writeProblem(store, input);
  try {
    writeProblem(store, input);
    held.get(store)?.delete(input.id);
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    holdProblem(store, input);
  }
}

function holdProblem(store: Store, input: ProblemInput): void {
  const problems = held.get(store) ?? new Map<string, Problem>();
  held.set(store, problems);
  const now = store.now();
  const before = problems.get(input.id);
  const problem: Problem = {
    id: input.id,
    area: input.area,
    level: input.level,
    message: input.message,
    action: input.action ?? null,
    openedAt: before?.openedAt ?? now,
    updatedAt: now,
    occurrences: (before?.occurrences ?? 0) + 1,
  };
  problems.set(input.id, problem);
  if (!before || before.message !== problem.message || before.level !== problem.level || before.action !== problem.action) {
    store.announce([{ change: before ? 'updated' : 'opened', problem }]);
  }
}

/**
 * Writes the problems held while the disk was full, keeping when they opened; listeners heard
 * about them already (once is enough for the log). Throws (DiskFullError) while it still is full.
 */
export function flushHeldProblems(store: Store): void {
  for (const problem of [...(held.get(store)?.values() ?? [])]) {
    writeProblem(store, problem, problem);
    held.get(store)?.delete(problem.id);
  }
}

function writeProblem(store: Store, input: ProblemInput, announced?: Problem): void {
  store.transaction(() => {
    const now = store.now();
    const action = input.action ?? null;
    const existing = store.db.get<ProblemRow>('SELECT * FROM problems WHERE id = ?', input.id);
    if (!existing) {
      const openedAt = announced?.openedAt ?? now;
      store.db.run(
        'INSERT INTO problems (id, area, level, message, action, opened_at, updated_at, occurrences) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        input.id,
        input.area,
        input.level,
        input.message,
        action,
        openedAt,
        now,
        announced?.occurrences ?? 1,
      );
      store.logEvent('problem_opened', null, { id: input.id, area: input.area, message: input.message });
      const problem = toProblem({ ...input, action, opened_at: openedAt, updated_at: now, occurrences: announced?.occurrences ?? 1 });
      if (!announced) store.problemChanged({ change: 'opened', problem });
      return;
    }
    store.db.run(
      'UPDATE problems SET level = ?, message = ?, action = ?, updated_at = ?, occurrences = occurrences + 1 WHERE id = ?',
      input.level,
      input.message,
      action,
      now,
      input.id,
    );
    if (existing.message !== input.message || existing.level !== input.level || existing.action !== action) {
      store.logEvent('problem_updated', null, { id: input.id, message: input.message });
      store.problemChanged({
        change: 'updated',
        problem: toProblem({ ...existing, ...input, action, updated_at: now, occurrences: existing.occurrences + 1 }),
      });
    }
  });
}

/** Clears the problem if it is open; true when it was. Cheap when nothing is open (one indexed read). */
export function resolveProblem(store: Store, id: string): boolean {
  const wasHeld = held.get(store)?.get(id);
  if (wasHeld) held.get(store)?.delete(id);
  if (!store.db.get<{ id: string }>('SELECT id FROM problems WHERE id = ?', id)) {
    if (wasHeld) store.announce([{ change: 'resolved', problem: wasHeld }]);
    return wasHeld !== undefined;
  }
  return store.transaction(() => {
    const row = store.db.get<ProblemRow>('DELETE FROM problems WHERE id = ? RETURNING *', id);
    if (!row) return false;
    store.logEvent('problem_resolved', null, { id, area: row.area });
    store.problemChanged({ change: 'resolved', problem: toProblem(row) });
    return true;
  });
}

/** Clears every problem whose id starts with `prefix` (e.g. all of one adapter's start-up checks). */
export function resolveProblems(store: Store, prefix: string): number {
  const ids = store.db.all<{ id: string }>('SELECT id FROM problems WHERE substr(id, 1, length(?)) = ?', prefix, prefix);
  let resolved = 0;
  for (const { id } of ids) if (resolveProblem(store, id)) resolved += 1;
  return resolved;
}

export function listProblems(store: Store): Problem[] {
  const written = store.db
    .all<ProblemRow>("SELECT * FROM problems ORDER BY CASE level WHEN 'error' THEN 0 ELSE 1 END, opened_at")
    .map(toProblem);
  const waiting = [...(held.get(store)?.values() ?? [])].filter((problem) => !written.some((row) => row.id === problem.id));
  if (waiting.length === 0) return written;
  const rank = (problem: Problem) => (problem.level === 'error' ? 0 : 1);
  return [...written, ...waiting].sort((a, b) => rank(a) - rank(b) || a.openedAt - b.openedAt);
}

export function getProblem(store: Store, id: string): Problem | undefined {
  const row = store.db.get<ProblemRow>('SELECT * FROM problems WHERE id = ?', id);
  return row ? toProblem(row) : held.get(store)?.get(id);
}
