// The board grid's store logic under Node: decisions advance only when they went through, one card's
// event leaves every other list untouched, the filter drives the view and prunes the selection,
// ranges stay in a column, bulk results are summarised, older pages merge in, alerts fire once.
import { describe, expect, it } from 'vitest';
import { CommandError, buildApi, type CommandName, type HeroDeskApi } from '../../shared/contract.ts';
import { IDLE_QUEUE, type Card } from '../../shared/domain.ts';
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

const card = (articleId: string, patch: Partial<Card> = {}) => sampleCard({ articleId, headline: `Story ${articleId}`, ...patch });
const review = (id: string, createdAt: number, patch: Partial<Card> = {}) => card(id, { status: 'generated', createdAt, ...patch });

function loaded(cards: Card[], answer?: (name: CommandName, input: unknown) => unknown) {
  const { api, calls } = scriptedApi(answer);
  const store = createBoardStore(api);
  store.getState().applySnapshot({ seq: 1, cards, problems: [], queue: IDLE_QUEUE });
  return { store, calls };
}

describe('board grid store', () => {
  it('keeps the selection on a card whose approve or reject failed', async () => {
    const { store } = loaded([review('a', 3), review('b', 2), review('c', 1)], () => {
      throw new CommandError({ code: 'unauthorized', message: 'this board link is no longer valid' });
    });
    store.getState().select('a');
    await store.getState().approve('a');
    expect(store.getState().selectedId).toBe('a');
    await store.getState().reject('a');
    expect(store.getState().selectedId).toBe('a');
    expect(store.getState().notices.map((n) => n.message)).toEqual([
      'Could not approve: this board link is no longer valid',
      'Could not reject: this board link is no longer valid',
    ]);
  });

  it('advances to the card that was next even when the approved card already left the column', async () => {
    const holder: { store?: ReturnType<typeof loaded>['store'] } = {};
    const { store } = loaded([review('a', 3), review('b', 2), review('c', 1)], (name, input) => {
      // the core's event arrives before the command's answer
      if (name === 'approve')
        holder
          .store!.getState()
          .applyEvent({ type: 'card', seq: 5, card: review((input as { articleId: string }).articleId, 2, { status: 'approved' }) });
      return { ok: true };
    });
    holder.store = store;
    store.getState().select('b');
    await store.getState().approve('b');
    expect(store.getState().selectedId).toBe('c');
    expect(store.getState().focusRequest?.id).toBe('c');
    expect(store.getState().announcement).toContain('Awaiting review, 2 of 2');
  });

  it("applies one card's event without replacing any other column's list", () => {
    const { store } = loaded([
      review('a', 3),
      review('b', 2),
      card('p', { status: 'pending', createdAt: 5 }),
      card('g', { status: 'generating', createdAt: 4 }),
    ]);
    const before = store.getState();
    store.getState().applyEvent({ type: 'card', seq: 2, card: card('g', { status: 'scoring', createdAt: 4, costUsd: 0.02 }) });
    const same = store.getState();
    expect(same.columns).toBe(before.columns); // generating → scoring: the same column, the same place
    expect(same.view).toBe(before.view);
    expect(same.cards.g?.status).toBe('scoring');
    expect(same.cards.a).toBe(before.cards.a);
    store.getState().applyEvent({ type: 'card', seq: 3, card: review('g', 4) });
    const moved = store.getState();
    expect(moved.columns.generated).toEqual(['g', 'a', 'b']);
    expect(moved.columns.generating).toEqual([]);
    expect(moved.columns.pending).toBe(before.columns.pending);
    expect(moved.columns.published).toBe(before.columns.published);
  });

  it('filters the view, follows events through the filter, and drops hidden stories from the selection', () => {
    const { store } = loaded([
      review('a', 3, { section: 'Transport' }),
      review('b', 2, { section: 'Sports' }),
      card('p', { status: 'pending', section: 'Transport', headline: 'Zebra crossing repainted' }),
    ]);
    store.getState().toggleChecked('a');
    store.getState().toggleChecked('b');
    store.getState().setFilter({ sections: ['transport'] });
    expect(store.getState().view.generated).toEqual(['a']);
    expect(store.getState().view.pending).toEqual(['p']);
    expect(store.getState().columns.generated).toEqual(['a', 'b']);
    expect(Object.keys(store.getState().checked)).toEqual(['a']);
    // a story changing section enters or leaves the view by its event
    store.getState().applyEvent({ type: 'card', seq: 2, card: review('b', 2, { section: 'Transport' }) });
    expect(store.getState().view.generated).toEqual(['a', 'b']);
    store.getState().applyEvent({ type: 'card', seq: 3, card: review('a', 3, { section: 'Sports' }) });
    expect(store.getState().view.generated).toEqual(['b']);
    store.getState().setFilter({ sections: [], text: 'zebra' });
    expect(Object.values(store.getState().view).flat()).toEqual(['p']);
  });

  it('selects ranges within a column, a whole column, and toggles one', () => {
    const { store } = loaded([review('a', 4), review('b', 3), review('c', 2), review('d', 1), card('p', { status: 'pending' })]);
    store.getState().select('b');
    store.getState().checkTo('d');
    expect(Object.keys(store.getState().checked).sort()).toEqual(['b', 'c', 'd']);
    store.getState().checkTo('p'); // another column: just that card joins
    expect(store.getState().checked.p).toBe(true);
    store.getState().checkAllIn('generated');
    expect(Object.keys(store.getState().checked).sort()).toEqual(['a', 'b', 'c', 'd']);
    store.getState().toggleChecked('c');
    expect(Object.keys(store.getState().checked).sort()).toEqual(['a', 'b', 'd']);
  });

  it('sends one bulk command with the note, summarises it, and keeps what failed selected', async () => {
    const { store, calls } = loaded([review('a', 3), review('b', 2), card('r', { status: 'rejected' })], () => ({
      results: [
        { articleId: 'a', ok: true, error: null },
        { articleId: 'r', ok: false, error: 'illegal status transition rejected → rejected' },
      ],
    }));
    store.getState().toggleChecked('a');
    store.getState().toggleChecked('r');
    await store.getState().bulk('reject', '  off-topic  ');
    expect(calls).toEqual([{ name: 'bulk', input: { action: 'reject', articleIds: ['a', 'r'], reason: 'off-topic' } }]);
    expect(store.getState().bulkOutcome).toEqual({
      action: 'reject',
      succeeded: 1,
      failed: [{ articleId: 'r', headline: 'Story r', error: 'illegal status transition rejected → rejected' }],
    });
    expect(Object.keys(store.getState().checked)).toEqual(['r']);
  });

  it('pages older settled cards in from the oldest one held, and counts what is left', async () => {
    const older = [card('old1', { status: 'published', updatedAt: 50 }), card('old2', { status: 'published', updatedAt: 40 })];
    const { api, calls } = scriptedApi(() => ({ seq: 9, cards: older, remaining: 7 }));
    const store = createBoardStore(api);
    store.getState().applySnapshot({
      seq: 1,
      cards: [card('new', { status: 'published', updatedAt: 100 }), card('mid', { status: 'published', updatedAt: 80 })],
      problems: [],
      queue: IDLE_QUEUE,
      older: { published: 9, rejected: 0, failed: 0 },
    });
    await store.getState().loadOlder('published');
    expect(calls).toEqual([
      { name: 'olderCards', input: { column: 'published', before: { updatedAt: 80, articleId: 'mid' }, limit: 100 } },
    ]);
    expect(store.getState().columns.published).toEqual(['new', 'mid', 'old1', 'old2']);
    expect(store.getState().older.published).toBe(7);
  });

  it('raises one alert when a breaking story becomes ready and when a story fails, none on the first snapshot', () => {
    const { store } = loaded([
      card('x', { status: 'generated', breaking: true }),
      card('y', { status: 'generating', breaking: true }),
      card('z', { status: 'generating' }),
    ]);
    expect(store.getState().alerts).toEqual([]);
    store.getState().applyEvent({ type: 'card', seq: 2, card: card('y', { status: 'generated', breaking: true, version: 2 }) });
    store.getState().applyEvent({ type: 'card', seq: 3, card: card('y', { status: 'generated', breaking: true, version: 3, score: 9 }) });
    store.getState().applyEvent({ type: 'card', seq: 4, card: card('z', { status: 'failed', lastError: 'all providers failed' }) });
    const alerts = store.getState().takeAlerts();
    expect(alerts.map((alert) => [alert.kind, alert.articleId])).toEqual([
      ['breaking-ready', 'y'],
      ['failed', 'z'],
    ]);
    expect(alerts[1]!.body).toContain('all providers failed');
    expect(store.getState().alerts).toEqual([]);
  });
});
