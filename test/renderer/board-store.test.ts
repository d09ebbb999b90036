import { IDLE_QUEUE } from '../../shared/domain.ts';
// The board store against a scripted HeroDeskApi: event ordering by seq, snapshot merging,
// auto-advance after decisions, and failures surfacing as notices.
import { describe, expect, it } from 'vitest';
import { CommandError, buildApi, type CommandName, type HeroDeskApi } from '../../shared/contract.ts';
import { createBoardStore } from '../../renderer/src/store/board-store.ts';
import { sampleCard } from '../bridge/fake-core.ts';

function scriptedApi(answer: (name: CommandName, input: unknown) => unknown = () => ({ ok: true })) {
  const calls: { name: CommandName; input: unknown }[] = [];
  const api: HeroDeskApi = buildApi(
    async (name, input) => {
      calls.push({ name, input });
      return answer(name, input);
    },
    () => () => {},
  );
  return { api, calls };
}

const review = (id: string, createdAt: number) => sampleCard({ articleId: id, status: 'generated', createdAt });

describe('board store', () => {
  it('applies a card event only when it is newer than what the card reflects', () => {
    const store = createBoardStore(scriptedApi().api);
    const { applyEvent } = store.getState();
    applyEvent({ type: 'card', seq: 5, card: sampleCard({ status: 'approved' }) });
    applyEvent({ type: 'card', seq: 4, card: sampleCard({ status: 'generated' }) });
    applyEvent({ type: 'card', seq: 5, card: sampleCard({ status: 'rejected' }) });
    expect(store.getState().cards['rec-1']?.status).toBe('approved');
    applyEvent({ type: 'card', seq: 6, card: sampleCard({ status: 'publishing' }) });
    expect(store.getState().cards['rec-1']?.status).toBe('publishing');
    expect(store.getState().seq).toBe(6);
  });

  it('merges a snapshot without rolling back cards already updated by newer events', () => {
    const store = createBoardStore(scriptedApi().api);
    const { applyEvent, applySnapshot } = store.getState();
    applyEvent({ type: 'card', seq: 12, card: sampleCard({ articleId: 'a', status: 'published' }) });
    applyEvent({ type: 'card', seq: 8, card: sampleCard({ articleId: 'gone', status: 'failed' }) });
    applySnapshot({
      seq: 10,
      cards: [sampleCard({ articleId: 'a', status: 'approved' }), sampleCard({ articleId: 'b', status: 'pending' })],
      problems: [],
      queue: IDLE_QUEUE,
    });
    const { cards, loaded, seq } = store.getState();
    expect(cards.a?.status).toBe('published');
    expect(cards.b?.status).toBe('pending');
    expect(cards.gone).toBeUndefined();
    expect(loaded).toBe(true);
    expect(seq).toBe(12);
    // a later event for a snapshot card still applies
    applyEvent({ type: 'card', seq: 11, card: sampleCard({ articleId: 'b', status: 'generating' }) });
    expect(store.getState().cards.b?.status).toBe('generating');
  });

  it('turns core notices into toasts, keeping only the latest few', () => {
    const store = createBoardStore(scriptedApi().api);
    for (let seq = 1; seq <= 7; seq++) {
      store.getState().applyEvent({ type: 'notice', seq, level: 'warn', message: `notice ${seq}`, articleId: null });
    }
    const notices = store.getState().notices;
    expect(notices.map((n) => n.message)).toEqual(['notice 3', 'notice 4', 'notice 5', 'notice 6', 'notice 7']);
    store.getState().dismiss(notices[0]!.id);
    expect(store.getState().notices).toHaveLength(4);
  });

  it('approves and moves the selection to the next card awaiting review', async () => {
    const { api, calls } = scriptedApi();
    const store = createBoardStore(api);
    store
      .getState()
      .applySnapshot({ seq: 1, cards: [review('old', 1), review('mid', 2), review('new', 3)], problems: [], queue: IDLE_QUEUE });
    store.getState().select('mid'); // order is newest first: new, mid, old
    await store.getState().approve('mid');
    expect(calls).toEqual([{ name: 'approve', input: { articleId: 'mid' } }]);
    expect(store.getState().selectedId).toBe('old');
    await store.getState().reject('old');
    expect(store.getState().selectedId).toBe('mid'); // nothing below: the one above
  });

  it('reports a failed command as an error notice and clears the busy flag', async () => {
    const { api } = scriptedApi(() => {
      throw new CommandError({ code: 'illegal_transition', message: 'illegal status transition published → approved' });
    });
    const store = createBoardStore(api);
    await store.getState().approve('rec-1');
    const [notice] = store.getState().notices;
    expect(notice).toMatchObject({ level: 'error', articleId: 'rec-1' });
    expect(notice?.message).toContain('illegal status transition');
    expect(store.getState().busy['rec-1']).toBe(false);
  });

  it('sends regenerate with or without a prompt, and setPrompt with null to reset', async () => {
    const { api, calls } = scriptedApi();
    const store = createBoardStore(api);
    await store.getState().regenerate('a');
    await store.getState().regenerate('a', 'a new prompt');
    await store.getState().savePrompt('a', null);
    expect(calls).toEqual([
      { name: 'regenerate', input: { articleId: 'a' } },
      { name: 'regenerate', input: { articleId: 'a', prompt: 'a new prompt' } },
      { name: 'setPrompt', input: { articleId: 'a', prompt: null } },
    ]);
  });
  it('loads the ledger for today or a given day, and lets a failure reach the spend panel', async () => {
    const ledger = { day: '2026-11-25', totalUsd: 0.04, tiers: [{ tier: 'regular', costUsd: 0.04, calls: 2, budgetUsd: 1 }], articles: [] };
    const { api, calls } = scriptedApi((name, input) => {
      if ((input as { day?: string }).day === '1999-01-01') throw new CommandError({ code: 'internal', message: 'ledger offline' });
      return name === 'ledger' ? ledger : { ok: true };
    });
    const store = createBoardStore(api);
    await expect(store.getState().loadLedger()).resolves.toEqual(ledger);
    await expect(store.getState().loadLedger('2026-11-24')).resolves.toEqual(ledger);
    await expect(store.getState().loadLedger('1999-01-01')).rejects.toThrow('ledger offline');
    expect(calls).toEqual([
      { name: 'ledger', input: {} },
      { name: 'ledger', input: { day: '2026-11-24' } },
      { name: 'ledger', input: { day: '1999-01-01' } },
    ]);
    expect(store.getState().notices).toEqual([]); // the panel shows the error in place, no toast per refresh
  });

  it('loads key statuses and saves or removes a key without keeping its value, toasting only failures', async () => {
    const status = { writable: true, secrets: [{ name: 'openai', source: 'environment' as const }] };
    const { api, calls } = scriptedApi((name, input) => {
      if (name === 'secrets') return status;
      if ((input as { name?: string }).name === 'nope')
        throw new CommandError({ code: 'invalid_input', message: 'not a key the config uses' });
      return { ok: true };
    });
    const store = createBoardStore(api);
    await expect(store.getState().loadSecrets()).resolves.toEqual(status);
    await expect(store.getState().saveSecret('openai', 'sk-test-value')).resolves.toBe(true);
    await expect(store.getState().saveSecret('openai', null)).resolves.toBe(true);
    expect(store.getState().notices).toEqual([]); // the core announces success itself
    await expect(store.getState().saveSecret('nope', 'sk-other-value')).resolves.toBe(false);
    expect(calls).toEqual([
      { name: 'secrets', input: {} },
      { name: 'setSecret', input: { name: 'openai', value: 'sk-test-value' } },
      { name: 'setSecret', input: { name: 'openai', value: null } },
      { name: 'setSecret', input: { name: 'nope', value: 'sk-other-value' } },
    ]);
    const notices = store.getState().notices;
    expect(notices.map((n) => n.message)).toEqual(['Could not save the key "nope": not a key the config uses']);
    expect(JSON.stringify(store.getState(), (_key, value: unknown) => (typeof value === 'function' ? undefined : value))).not.toContain(
      'sk-',
    );
  });
});
