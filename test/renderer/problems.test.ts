// How the header words open problems: order, summary, "since" and "seen". Dates are built in the
// machine's own time zone, as the board formats them, so the expectations hold in any zone.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/domain.ts';
import { formatAgo, formatSeen, formatSince, orderProblems, problemSummary } from '../../renderer/src/problems.ts';

const at = (day: number, hour: number, minute: number) => new Date(2026, 11, day, hour, minute).getTime();

function problem(id: string, patch: Partial<Problem> = {}): Problem {
  return {
    id,
    area: 'source',
    level: 'warn',
    message: id,
    action: null,
    openedAt: at(3, 9, 0),
    updatedAt: at(3, 9, 0),
    occurrences: 1,
    ...patch,
  };
}

describe('problem wording', () => {
  it('puts errors first, then the longest-standing', () => {
    const list = [
      problem('new-warn', { openedAt: at(3, 12, 0) }),
      problem('new-error', { level: 'error', openedAt: at(3, 11, 0) }),
      problem('old-warn', { openedAt: at(3, 8, 0) }),
      problem('old-error', { level: 'error', openedAt: at(2, 8, 0) }),
    ];
    expect(orderProblems(list).map((p) => p.id)).toEqual(['old-error', 'new-error', 'old-warn', 'new-warn']);
    expect(list[0]!.id).toBe('new-warn'); // the store's list is not reordered in place
  });

  it('summarises by level', () => {
    expect(problemSummary([])).toBe('');
    expect(problemSummary([problem('a')])).toBe('1 warning');
    expect(problemSummary([problem('a', { level: 'error' }), problem('b'), problem('c')])).toBe('1 error, 2 warnings');
    expect(problemSummary([problem('a', { level: 'error' }), problem('b', { level: 'error' })])).toBe('2 errors');
  });

  it('says since when: a clock and how long ago today, a date before today', () => {
    const now = at(3, 14, 14);
    expect(formatSince(at(3, 14, 2), now, 'en-GB')).toBe('since 14:02 (12 min ago)');
    expect(formatSince(at(3, 14, 13) + 50_000, now, 'en-GB')).toBe('since 14:13 (just now)');
    expect(formatSince(at(3, 9, 44), now, 'en-GB')).toBe('since 09:44 (4 h 30 min ago)');
    expect(formatSince(at(2, 23, 50), now, 'en-GB')).toBe('since 2 Dec, 23:50');
    expect(formatSince(new Date(2025, 10, 28, 8, 5).getTime(), now, 'en-GB')).toBe('since 28 Nov 2025, 08:05');
  });

  it('counts how long ago in minutes and hours, never negative', () => {
    expect(formatAgo(59_999)).toBe('just now');
    expect(formatAgo(-5_000)).toBe('just now'); // a clock a little ahead of ours
    expect(formatAgo(60_000)).toBe('1 min ago');
    expect(formatAgo(2 * 3_600_000)).toBe('2 h ago');
  });

  it('says how often it was seen, and when last when that was later', () => {
    const now = at(3, 15, 0);
    expect(formatSeen(problem('a'), now, 'en-GB')).toBe('seen once');
    expect(formatSeen(problem('a', { occurrences: 4, updatedAt: at(3, 9, 0) + 20_000 }), now, 'en-GB')).toBe('seen 4 times');
    expect(formatSeen(problem('a', { occurrences: 14, updatedAt: at(3, 14, 20) }), now, 'en-GB')).toBe('seen 14 times, last at 14:20');
    expect(formatSeen(problem('a', { openedAt: at(1, 9, 0), occurrences: 3, updatedAt: at(2, 18, 5) }), now, 'en-GB')).toBe(
      'seen 3 times, last at 2 Dec, 18:05',
    );
  });
});
