import { describe, expect, it } from 'vitest';
import { ARTICLE_STATUSES } from '../../shared/domain.ts';
import { assertTransition, canTransition, IllegalTransitionError, legalTargets } from '../../shared/state-machine.ts';

describe('article state machine', () => {
  it('allows the happy path from pending to published', () => {
    const path = ['pending', 'generating', 'scoring', 'generated', 'approved', 'publishing', 'published'] as const;
    for (let i = 1; i < path.length; i++) expect(() => assertTransition(path[i - 1]!, path[i]!)).not.toThrow();
  });

  it('lets regenerate loop back from every resting state', () => {
    for (const from of ['generated', 'rejected', 'failed', 'approved', 'published'] as const)
      expect(canTransition(from, 'pending')).toBe(true);
    expect(canTransition('scoring', 'generating')).toBe(true); // low score → regenerate
  });

  it("lets an editor's pick (a candidate or their own photo) return a story to review from anywhere but mid-publication", () => {
    for (const from of ['pending', 'generating', 'scoring', 'rejected', 'failed', 'approved', 'published'] as const)
      expect(canTransition(from, 'generated'), from).toBe(true);
    expect(canTransition('publishing', 'generated')).toBe(false);
  });

  it('throws a typed error on an illegal move instead of ignoring it', () => {
    expect(() => assertTransition('pending', 'published')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('publishing', 'pending')).toThrow(/publishing → pending/);
    expect(canTransition('generated', 'generated')).toBe(false);
  });

  it('has no dead ends: every status can go somewhere, and legalTargets agrees with canTransition', () => {
    for (const from of ARTICLE_STATUSES) {
      const targets = legalTargets(from);
      expect(targets.length).toBeGreaterThan(0);
      for (const to of ARTICLE_STATUSES) expect(canTransition(from, to)).toBe(targets.includes(to));
    }
  });
});
