// Deadlines as the desk reads them: each story's tier wants its image on readers' pages by `dueAt`;
// until then the card counts down, after it says how late it is. Pure functions over a clock.
import type { Card } from '../../../shared/domain.ts';

/** Stories whose deadline no longer runs: on readers' pages, or decided against. */
const DONE: readonly Card['status'][] = ['published', 'rejected'];

export type DueState =
  | { kind: 'none' }
  | { kind: 'due'; ms: number }
  | { kind: 'late'; ms: number }
  /** Published: by how much it made or missed its deadline (negative = early). */
  | { kind: 'done'; lateByMs: number };

export function dueState(card: Pick<Card, 'dueAt' | 'status' | 'updatedAt'>, now: number): DueState {
  if (card.dueAt === null) return { kind: 'none' };
  if (card.status === 'published') return { kind: 'done', lateByMs: card.updatedAt - card.dueAt };
  if (DONE.includes(card.status)) return { kind: 'none' };
  const left = card.dueAt - now;
  return left >= 0 ? { kind: 'due', ms: left } : { kind: 'late', ms: -left };
}

export function isLate(card: Pick<Card, 'dueAt' | 'status' | 'updatedAt'>, now: number): boolean {
  return dueState(card, now).kind === 'late';
}

const lateCounts = new WeakMap<readonly string[], { now: number; late: number }>();

/**
 * How many of these stories are past their deadline, counted once per list and clock tick: the board
 * asks on every update (events arrive many times a second), the answer only moves with the clock or
 * when stories change column. A story whose deadline moves without changing column shows at the next tick.
 */
export function lateIn(ids: readonly string[], cards: Record<string, Pick<Card, 'dueAt' | 'status' | 'updatedAt'>>, now: number): number {
  const known = lateCounts.get(ids);
  if (known && known.now === now) return known.late;
  let late = 0;
  for (const id of ids) {
    const card = cards[id];
    if (card && isLate(card, now)) late += 1;
  }
  lateCounts.set(ids, { now, late });
  return late;
}

/** "2:05" under an hour, "3 h 10 min" beyond; seconds only while they matter. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const minutes = Math.floor(seconds / 60);
  const days = Math.floor(minutes / 1440);
  if (days >= 1) return `${days} d ${Math.floor((minutes % 1440) / 60)} h`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** What the card says: "due in 2:05", "4:10 late", "on time", "2:00 late" (published late). */
export function dueLabel(state: DueState): string | null {
  switch (state.kind) {
    case 'none':
      return null;
    case 'due':
      return `due in ${formatDuration(state.ms)}`;
    case 'late':
      return `${formatDuration(state.ms)} late`;
    case 'done':
      return state.lateByMs <= 0 ? 'on time' : `published ${formatDuration(state.lateByMs)} late`;
  }
}
