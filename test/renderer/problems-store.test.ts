import { IDLE_QUEUE } from '../../shared/domain.ts';
// Open problems in the board store: the newest list wins by seq (events and snapshots alike), newly
// opened problems are flagged once (the header pulses), a re-read refreshes counts, and the Electron
// transport (IPC) delivers the problems event like any other.
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type DispatchResult, type HeroEvent, type PreloadBridge } from '../../shared/contract.ts';
import type { Problem } from '../../shared/domain.ts';
import { connectStore, createBoardStore } from '../../renderer/src/store/board-store.ts';
import { createIpcTransport } from '../../renderer/src/transport/ipc.ts';

function problem(id: string, patch: Partial<Problem> = {}): Problem {
  return {
    id,
    area: 'source',
    level: 'warn',
    message: `${id} is failing`,
    action: null,
    openedAt: 1_000,
    updatedAt: 1_000,
    occurrences: 1,
    ...patch,
  };
}

/** A preload bridge whose verbs answer from `answers`, and whose events the test pushes. */
function fakePreload(answers: Partial<Record<string, unknown>>) {
  const listeners = new Set<(event: HeroEvent) => void>();
  const verbs = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, async (): Promise<DispatchResult> => ({ ok: true, value: answers[name] ?? { ok: true } })]),
  );
  const bridge = {
    ...verbs,
    onEvent(listener: (event: HeroEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as PreloadBridge;
  return { bridge, push: (event: HeroEvent) => listeners.forEach((listener) => listener(event)), listeners };
}

const noApi = createIpcTransport(fakePreload({}).bridge).api;

describe('board store: open problems', () => {
  it('keeps the newest list by seq, whether it came as an event or in a snapshot', () => {
    const store = createBoardStore(noApi);
    const { applyEvent, applySnapshot } = store.getState();
    applyEvent({ type: 'problems', seq: 10, problems: [problem('a'), problem('b')] });
    applySnapshot({ seq: 9, cards: [], problems: [problem('a')], queue: IDLE_QUEUE }); // older than the event: ignored
    expect(store.getState().problems.map((p) => p.id)).toEqual(['a', 'b']);
    applyEvent({ type: 'problems', seq: 8, problems: [] }); // a late, replayed event
    expect(store.getState().problems.map((p) => p.id)).toEqual(['a', 'b']);
    applySnapshot({ seq: 12, cards: [], problems: [problem('b')], queue: IDLE_QUEUE });
    expect(store.getState().problems.map((p) => p.id)).toEqual(['b']);
    applyEvent({ type: 'problems', seq: 13, problems: [] });
    expect(store.getState()).toMatchObject({ problems: [], problemsSeq: 13, seq: 13 });
  });

  it('flags newly opened problems once, not their repeats, updates or a resync with the same list', () => {
    const store = createBoardStore(noApi);
    const { applyEvent, applySnapshot } = store.getState();
    applySnapshot({ seq: 1, cards: [], problems: [problem('a')], queue: IDLE_QUEUE }); // a board opened after it opened
    expect(store.getState()).toMatchObject({ problemsOpenedTick: 1, openedProblems: [{ id: 'a' }] });
    applyEvent({ type: 'problems', seq: 2, problems: [problem('a', { message: 'a is failing differently', occurrences: 5 })] });
    applySnapshot({ seq: 2, cards: [], problems: [problem('a', { occurrences: 6 })], queue: IDLE_QUEUE });
    expect(store.getState().problemsOpenedTick).toBe(1);
    applyEvent({ type: 'problems', seq: 3, problems: [problem('a'), problem('b'), problem('c')] });
    expect(store.getState()).toMatchObject({ problemsOpenedTick: 2, openedProblems: [{ id: 'b' }, { id: 'c' }] });
    applyEvent({ type: 'problems', seq: 4, problems: [problem('a')] }); // b and c resolved
    applyEvent({ type: 'problems', seq: 5, problems: [problem('a'), problem('b')] }); // b opens again
    expect(store.getState()).toMatchObject({ problemsOpenedTick: 3, openedProblems: [{ id: 'b' }] });
    expect(store.getState().notices).toEqual([]); // no toast per problem
  });

  it('re-reads the problems for fresh counts, unless an event already brought a newer list', async () => {
    let snapshot = { seq: 4, cards: [], problems: [problem('a', { occurrences: 9, updatedAt: 9_000 })] };
    const store = createBoardStore(
      createIpcTransport({ ...fakePreload({}).bridge, snapshot: async () => ({ ok: true, value: snapshot }) }).api,
    );
    store.getState().applyEvent({ type: 'problems', seq: 4, problems: [problem('a')] });
    await store.getState().refreshProblems();
    expect(store.getState().problems).toEqual([problem('a', { occurrences: 9, updatedAt: 9_000 })]);
    store.getState().applyEvent({ type: 'problems', seq: 6, problems: [] });
    snapshot = { seq: 5, cards: [], problems: [problem('a', { occurrences: 10 })] };
    await store.getState().refreshProblems();
    expect(store.getState().problems).toEqual([]);
  });

  it('dismisses a problem through the core, and says so when the core refuses', async () => {
    const calls: unknown[] = [];
    let answer: DispatchResult = { ok: true, value: { ok: true } };
    const bridge = { ...fakePreload({}).bridge, dismissProblem: async (input: unknown) => (calls.push(input), answer) };
    const store = createBoardStore(createIpcTransport(bridge).api);
    await expect(store.getState().dismissProblem('writeback:gone')).resolves.toBe(true);
    expect(calls).toEqual([{ id: 'writeback:gone' }]);
    expect(store.getState().notices).toEqual([]); // the core's new list is the answer
    answer = { ok: false, error: { code: 'internal', message: 'database is locked' } };
    await expect(store.getState().dismissProblem('writeback:gone')).resolves.toBe(false);
    expect(store.getState().notices.map((n) => n.message)).toEqual(['Could not dismiss the problem: database is locked']);
  });

  it('gets problems through the Electron transport: in the first snapshot and as events', async () => {
    const preload = fakePreload({
      snapshot: { seq: 3, cards: [], problems: [problem('key:openai', { area: 'key', level: 'error' })] },
      appInfo: null,
    });
    const store = createBoardStore(createIpcTransport(preload.bridge).api);
    const disconnect = connectStore(store, createIpcTransport(preload.bridge));
    await expect.poll(() => store.getState().loaded).toBe(true);
    expect(store.getState().problems.map((p) => p.id)).toEqual(['key:openai']);
    preload.push({
      type: 'problems',
      seq: 4,
      problems: [problem('key:openai', { area: 'key', level: 'error' }), problem('disk:full', { area: 'disk' })],
    });
    expect(store.getState().problems.map((p) => p.id)).toEqual(['key:openai', 'disk:full']);
    preload.push({ type: 'problems', seq: 5, problems: [] });
    expect(store.getState().problems).toEqual([]);
    disconnect();
    expect(preload.listeners.size).toBe(0);
  });
});
