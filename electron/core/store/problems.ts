// Open problems: faults that outlast one retry (AITable unreachable, a key rejected, the disk
// full). Raising the same id again updates the row (and counts it) instead of adding one, so a
// fault retried every few seconds is one problem, logged once when it opens and once when it clears.
import type { Problem } from '../../../shared/domain.ts';
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

/** Opens the problem, or updates it when already open; the board hears only about real changes. */
export function raiseProblem(store: Store, input: ProblemInput): void {
  store.transaction(() => {
    const now = store.now();
    const action = input.action ?? null;
    const existing = store.db.get<ProblemRow>('SELECT * FROM problems WHERE id = ?', input.id);
    if (!existing) {
      store.db.run(
        'INSERT INTO problems (id, area, level, message, action, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        input.id,
        input.area,
        input.level,
        input.message,
        action,
        now,
        now,
      );
      store.logEvent('problem_opened', null, { id: input.id, area: input.area, message: input.message });
      store.problemChanged({ change: 'opened', problem: toProblem({ ...input, action, opened_at: now, updated_at: now, occurrences: 1 }) });
      return;
    }
    store.db.run('UPDATE problems SET level = ?, message = ?, action = ?, updated_at = ?, occurrences = occurrences + 1 WHERE id = ?', input.level, input.message, action, now, input.id);
    if (existing.message !== input.message || existing.level !== input.level || existing.action !== action) {
      store.logEvent('problem_updated', null, { id: input.id, message: input.message });
      store.problemChanged({ change: 'updated', problem: toProblem({ ...existing, ...input, action, updated_at: now, occurrences: existing.occurrences + 1 }) });
    }
  });
}

/** Clears the problem if it is open; true when it was. Cheap when nothing is open (one indexed read). */
export function resolveProblem(store: Store, id: string): boolean {
  if (!store.db.get<{ id: string }>('SELECT id FROM problems WHERE id = ?', id)) return false;
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
  const ids = store.db.all<{ id: string }>("SELECT id FROM problems WHERE substr(id, 1, length(?)) = ?", prefix, prefix);
  let resolved = 0;
  for (const { id } of ids) if (resolveProblem(store, id)) resolved += 1;
  return resolved;
}

export function listProblems(store: Store): Problem[] {
  return store.db.all<ProblemRow>("SELECT * FROM problems ORDER BY CASE level WHEN 'error' THEN 0 ELSE 1 END, opened_at").map(toProblem);
}

export function getProblem(store: Store, id: string): Problem | undefined {
  const row = store.db.get<ProblemRow>('SELECT * FROM problems WHERE id = ?', id);
  return row ? toProblem(row) : undefined;
}
