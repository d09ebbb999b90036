// Words and order for the open problems the header shows: which part of Hero Desk, since when,
// how often. Pure functions (no DOM), so they are unit-tested under Node.
import type { Problem } from '../../shared/domain.ts';

export const PROBLEM_AREA_LABEL: Record<Problem['area'], string> = {
  source: 'Story source',
  writeback: 'Write-back to the source',
  key: 'API key',
  storage: 'Image storage',
  publisher: 'Publishing to readers',
  provider: 'Image provider',
  disk: 'Disk',
  config: 'Configuration',
};

/** Errors first, then the longest-standing: what blocks the desk longest comes to the top. */
export function orderProblems(problems: readonly Problem[]): Problem[] {
  const rank = (problem: Problem) => (problem.level === 'error' ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b) || a.openedAt - b.openedAt || a.id.localeCompare(b.id));
}

/** "2 errors, 1 warning"; "" when nothing is open. */
export function problemSummary(problems: readonly Problem[]): string {
  const errors = problems.filter((problem) => problem.level === 'error').length;
  const warnings = problems.length - errors;
  const part = (count: number, word: string) => (count === 0 ? null : `${count} ${word}${count === 1 ? '' : 's'}`);
  return [part(errors, 'error'), part(warnings, 'warning')].filter(Boolean).join(', ');
}

const MINUTE = 60_000;

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function clock(at: Date, locale?: string): string {
  return at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** "12 min ago", "3 h 5 min ago"; "just now" under a minute. */
export function formatAgo(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h ago` : `${hours} h ${rest} min ago`;
}

/** "14:02" today; "3 Dec, 14:02" on an earlier day (with the year when it is not this one). */
export function formatMoment(at: number, now: number, locale?: string): string {
  const date = new Date(at);
  const today = new Date(now);
  if (sameDay(date, today)) return clock(date, locale);
  const day = date.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
  });
  return `${day}, ${clock(date, locale)}`;
}

/** "since 14:02 (12 min ago)" today; "since 3 Dec, 14:02" on an earlier day. */
export function formatSince(at: number, now: number, locale?: string): string {
  const since = `since ${formatMoment(at, now, locale)}`;
  return sameDay(new Date(at), new Date(now)) ? `${since} (${formatAgo(now - at)})` : since;
}

/** "seen once", "seen 14 times, last at 14:20" (the last time only when it differs from the first). */
export function formatSeen(problem: Pick<Problem, 'occurrences' | 'openedAt' | 'updatedAt'>, now: number, locale?: string): string {
  const count = Math.max(1, problem.occurrences);
  const times = count === 1 ? 'seen once' : `seen ${count} times`;
  if (problem.updatedAt - problem.openedAt < MINUTE) return times;
  return `${times}, last at ${formatMoment(problem.updatedAt, now, locale)}`;
}
