// Pure pieces of the board grid: the filter (matching, the URL query, saved views), deadlines, the
// keymap (rebinding swaps, reserved keys refused, bad storage ignored), bulk wording, the title.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTER,
  filterFromQuery,
  filterToQuery,
  matcher,
  parseSavedViews,
  serializeSavedViews,
} from '../../renderer/src/board/filter.ts';
import { dueLabel, dueState, formatDuration } from '../../renderer/src/board/deadline.ts';
import { DEFAULT_KEYMAP, actionForKey, parseKeymap, rebind } from '../../renderer/src/keymap.ts';
import { bulkHeadline } from '../../renderer/src/store/bulk.ts';
import { titleFor } from '../../renderer/src/title.ts';
import { sampleCard } from '../bridge/fake-core.ts';
import { stringContaining } from '../helpers/matchers.ts';

describe('filter', () => {
  const context = { now: 1_000_000, minScore: 7 };
  it('matches every word in headline, section or prompt, and each filter on its own', () => {
    const card = sampleCard({ headline: 'Harbor bridge repairs', section: 'Transport', prompt: 'cranes at dawn', score: 6.5 });
    expect(matcher({ ...EMPTY_FILTER, text: 'BRIDGE transport' }, context)(card)).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, text: 'cranes' }, context)(card)).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, text: 'bridge ferry' }, context)(card)).toBe(false);
    expect(matcher({ ...EMPTY_FILTER, lowScore: true }, context)(card)).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, flagged: true }, context)(card)).toBe(false);
    expect(matcher({ ...EMPTY_FILTER, flagged: true }, context)(sampleCard({ flags: ['legible_text'] }))).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, tiers: ['breaking'] }, context)(sampleCard({ breaking: true, tier: 'regular' }))).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, pastDeadline: true }, context)(sampleCard({ status: 'pending', dueAt: 999_000 }))).toBe(true);
    expect(matcher({ ...EMPTY_FILTER, pastDeadline: true }, context)(sampleCard({ status: 'published', dueAt: 999_000 }))).toBe(false);
  });

  it('round-trips through the query string and ignores what it does not know', () => {
    const filter = {
      ...EMPTY_FILTER,
      text: 'school board',
      sections: ['Education'],
      tiers: ['breaking' as const],
      statuses: ['generated' as const],
      stale: true,
      pastDeadline: true,
    };
    expect(filterToQuery(filter)).toBe('q=school+board&section=Education&tier=breaking&status=generated&only=stale%2Clate');
    expect(filterFromQuery(filterToQuery(filter))).toEqual(filter);
    expect(filterFromQuery('?tier=premium,regular&status=nope&only=flagged,bogus&token=x')).toEqual({
      ...EMPTY_FILTER,
      tiers: ['regular'],
      flagged: true,
    });
    expect(filterToQuery(EMPTY_FILTER)).toBe('');
  });

  it('keeps saved views as name + query and skips broken entries', () => {
    const views = [{ name: 'Schools', filter: { ...EMPTY_FILTER, text: 'school' } }];
    expect(parseSavedViews(serializeSavedViews(views))).toEqual(views);
    expect(parseSavedViews('{not json')).toEqual([]);
    expect(parseSavedViews('[{"name":1},{"name":"ok","query":"only=stale"}]')).toEqual([
      { name: 'ok', filter: { ...EMPTY_FILTER, stale: true } },
    ]);
  });
});

describe('deadlines', () => {
  it('counts down, then says how late, and for published stories whether they made it', () => {
    expect(dueLabel(dueState({ dueAt: 200_000, status: 'generating', updatedAt: 0 }, 75_000))).toBe('due in 2:05');
    expect(dueLabel(dueState({ dueAt: 200_000, status: 'generated', updatedAt: 0 }, 450_000))).toBe('4:10 late');
    expect(dueLabel(dueState({ dueAt: 200_000, status: 'published', updatedAt: 150_000 }, 900_000))).toBe('on time');
    expect(dueLabel(dueState({ dueAt: 200_000, status: 'published', updatedAt: 320_000 }, 900_000))).toBe('published 2:00 late');
    expect(dueState({ dueAt: 200_000, status: 'rejected', updatedAt: 0 }, 900_000)).toEqual({ kind: 'none' });
    expect(dueState({ dueAt: null, status: 'pending', updatedAt: 0 }, 900_000)).toEqual({ kind: 'none' });
    expect(formatDuration(3 * 3600_000 + 10 * 60_000)).toBe('3 h 10 min');
    expect(formatDuration(26 * 3600_000)).toBe('1 d 2 h');
  });
});

describe('keymap', () => {
  it('rebinds, swapping with the action that had the key, and refuses fixed keys', () => {
    const taken = rebind(DEFAULT_KEYMAP, 'approve', 'R');
    expect(taken).toMatchObject({ ok: true, swapped: 'reject' });
    if (!taken.ok) throw new Error('unreachable');
    expect(taken.keymap.approve).toBe('r');
    expect(taken.keymap.reject).toBe('a');
    expect(actionForKey(taken.keymap, 'R')).toBe('approve');
    expect(rebind(DEFAULT_KEYMAP, 'approve', 'Escape')).toMatchObject({ ok: false, message: stringContaining('fixed') });
    expect(rebind(DEFAULT_KEYMAP, 'approve', 'F5')).toMatchObject({ ok: false });
    expect(actionForKey(DEFAULT_KEYMAP, '?')).toBe('help');
    expect(actionForKey(DEFAULT_KEYMAP, '/')).toBe('search');
  });

  it('reads stored bindings, falling back to the defaults for anything broken', () => {
    expect(parseKeymap(JSON.stringify({ ...DEFAULT_KEYMAP, approve: 'y' })).approve).toBe('y');
    expect(parseKeymap(JSON.stringify({ ...DEFAULT_KEYMAP, approve: 'r' }))).toEqual(DEFAULT_KEYMAP); // two actions on one key
    expect(parseKeymap('nonsense')).toEqual(DEFAULT_KEYMAP);
    expect(parseKeymap(JSON.stringify({ approve: 'Enter' })).approve).toBe('a');
  });
});

describe('wording', () => {
  it('summarises a bulk decision and counts in the title', () => {
    expect(bulkHeadline({ action: 'approve', succeeded: 8, failed: [] })).toBe('Approved 8 of 8 stories');
    expect(bulkHeadline({ action: 'reject', succeeded: 1, failed: [{ articleId: 'x', headline: 'X', error: 'e' }] })).toBe(
      'Rejected 1 of 2 stories; 1 not rejected:',
    );
    expect(titleFor(4, 1)).toBe('(4) Hero Desk · 1 failed');
    expect(titleFor(0, 0)).toBe('Hero Desk');
  });
});
