// Open problems: one row per fault however often it is raised, changes reach listeners after
// commit, and the list survives a restart until the fault clears.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getProblem, listProblems, raiseProblem, resolveProblem, resolveProblems } from '../../electron/core/store/problems.ts';
import type { ChangeSet } from '../../electron/core/store/store.ts';
import { tempDirs } from '../helpers/temp.ts';
import { testStore } from '../helpers/test-store.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const sourceDown = {
  id: 'source',
  area: 'source',
  level: 'warn',
  message: 'AITable cannot be reached',
  action: 'check the network',
} as const;

describe('problems', () => {
  it('opens once, counts repeats without telling the board, and tells it when the message changes', () => {
    const store = testStore(join(dirs.make(), 'db.sqlite'));
    const changes: ChangeSet[] = [];
    store.onChange((change) => changes.push(change));
    raiseProblem(store, sourceDown);
    raiseProblem(store, sourceDown);
    raiseProblem(store, sourceDown);
    expect(listProblems(store)).toHaveLength(1);
    expect(getProblem(store, 'source')?.occurrences).toBe(3);
    expect(changes.flatMap((c) => c.problems.map((p) => p.change))).toEqual(['opened']);
    raiseProblem(store, { ...sourceDown, message: 'AITable answered 503' });
    expect(changes.flatMap((c) => c.problems.map((p) => p.change))).toEqual(['opened', 'updated']);
    expect(resolveProblem(store, 'source')).toBe(true);
    expect(resolveProblem(store, 'source')).toBe(false);
    expect(changes.flatMap((c) => c.problems.map((p) => p.change))).toEqual(['opened', 'updated', 'resolved']);
    expect(listProblems(store)).toEqual([]);
    store.close();
  });

  it('keeps open problems across a restart, errors first, and clears a family by prefix', () => {
    const path = join(dirs.make(), 'db.sqlite');
    const first = testStore(path);
    raiseProblem(first, sourceDown);
    raiseProblem(first, { id: 'check:provider openai', area: 'provider', level: 'error', message: 'key rejected' });
    raiseProblem(first, { id: 'check:scorer vision', area: 'provider', level: 'error', message: 'model retired' });
    first.close();
    const second = testStore(path);
    expect(listProblems(second).map((p) => p.id)).toEqual(['check:provider openai', 'check:scorer vision', 'source']);
    expect(resolveProblems(second, 'check:')).toBe(2);
    expect(listProblems(second).map((p) => p.id)).toEqual(['source']);
    second.close();
  });
});
