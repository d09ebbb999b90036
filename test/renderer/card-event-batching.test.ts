// A burst of card events (50 stories generating) becomes one board update per frame, the first event
// after a quiet spell shows at once, any other event keeps its place in the order, and the header's
// spend, the filter's sections and the late counts follow the cards without summing them per update.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApi, type HeroEvent } from '../../shared/contract.ts';
import { IDLE_QUEUE } from '../../shared/domain.ts';
import { lateIn } from '../../renderer/src/board/deadline.ts';
import { summarize, withCard } from '../../renderer/src/board/summary.ts';
import { connectStore, createBoardStore } from '../../renderer/src/store/board-store.ts';
import type { Transport } from '../../renderer/src/transport/types.ts';
import { sampleCard } from '../bridge/fake-core.ts';

function wired() {
  let deliver: (event: HeroEvent) => void = () => {};
  const api = buildApi(
    async () => ({ ok: true }),
    (listener) => {
      deliver = listener;
      return () => {};
    },
  );
  const store = createBoardStore(api);
  const transport: Transport = { kind: 'web', api, start: () => {}, stop: () => {} };
  const updates = vi.fn();
  connectStore(store, transport);
  store.getState().applySnapshot({ seq: 0, cards: [], older: { rejected: 0, published: 0, failed: 0 }, problems: [], queue: IDLE_QUEUE });
  store.subscribe(updates);
  return { store, updates, deliver: (event: HeroEvent) => deliver(event) };
}

const cardEvent = (seq: number, id: string, status: 'generating' | 'scoring' | 'generated', costUsd = 0): HeroEvent => ({
  type: 'card',
  seq,
  card: sampleCard({ articleId: id, status, costUsd, section: `S-${id}` }),
});

describe('card events from the transport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies the first at once and the rest of the burst together at the next frame', () => {
    const { store, updates, deliver } = wired();
    deliver(cardEvent(1, 'a', 'generating'));
    expect(store.getState().cards.a?.status).toBe('generating');
    expect(updates).toHaveBeenCalledTimes(1);
    for (let seq = 2; seq <= 30; seq++) deliver(cardEvent(seq, `c${seq % 10}`, seq % 2 ? 'scoring' : 'generating', 0.01));
    expect(updates).toHaveBeenCalledTimes(1); // nothing yet: waiting for the frame
    vi.advanceTimersByTime(20);
    expect(updates).toHaveBeenCalledTimes(2); // 29 events, one update
    expect(store.getState().cards.c9?.status).toBe('scoring'); // seq 29, the last for c9
    expect(store.getState().seq).toBe(30);
    expect(store.getState().summary.spentUsd).toBeCloseTo(0.1); // ten cards at $0.01 each
  });

  it('flushes waiting card events before any other event, so the order holds', () => {
    const { store, deliver } = wired();
    deliver(cardEvent(1, 'a', 'generating'));
    deliver(cardEvent(2, 'b', 'generated'));
    deliver({ type: 'notice', seq: 3, level: 'info', message: 'after b', articleId: 'b' });
    expect(store.getState().cards.b?.status).toBe('generated');
    expect(store.getState().notices.map((n) => n.message)).toEqual(['after b']);
  });

  it('never rolls a card back when a late event arrives in a batch', () => {
    const { store, deliver } = wired();
    deliver(cardEvent(10, 'a', 'generated'));
    deliver(cardEvent(11, 'b', 'generating'));
    deliver(cardEvent(9, 'a', 'generating'));
    vi.advanceTimersByTime(20);
    expect(store.getState().cards.a?.status).toBe('generated');
    expect(store.getState().cardSeq.a).toBe(10);
  });

  it('moves cardsVersion on every change, so panels that watch all cards still hear of it', () => {
    const { store, deliver } = wired();
    const first = store.getState().cardsVersion;
    deliver(cardEvent(1, 'a', 'generating'));
    expect(store.getState().cardsVersion).toBe(first + 1);
    deliver(cardEvent(1, 'a', 'scoring')); // a replay: nothing changes
    vi.advanceTimersByTime(20);
    expect(store.getState().cardsVersion).toBe(first + 1);
  });
});

describe('board summary', () => {
  it('follows spend and sections card by card, matching a full recount', () => {
    const one = sampleCard({ articleId: 'a', costUsd: 0.04, section: 'Local' });
    const two = sampleCard({ articleId: 'b', costUsd: 0.02, section: 'Business' });
    let summary = summarize({ a: one });
    summary = withCard(summary, undefined, two);
    const dearer = { ...one, costUsd: 0.1 };
    summary = withCard(summary, one, dearer);
    const recount = summarize({ a: dearer, b: two });
    expect(summary.spentUsd).toBeCloseTo(recount.spentUsd, 9);
    expect(summary.sections).toEqual(recount.sections);
    expect(summary.sections).toEqual(['Business', 'Local']);
    expect(withCard(summary, dearer, { ...dearer, headline: 'only the headline' })).toBe(summary);
  });

  it('counts late stories once per list and tick', () => {
    const now = 1_000_000;
    const cards = {
      a: sampleCard({ articleId: 'a', status: 'generated', dueAt: now - 1 }),
      b: sampleCard({ articleId: 'b', status: 'generated', dueAt: now + 60_000 }),
    };
    const ids = ['a', 'b'];
    expect(lateIn(ids, cards, now)).toBe(1);
    expect(lateIn(ids, cards, now + 61_000)).toBe(2);
    expect(lateIn(['b'], cards, now + 61_000)).toBe(1);
  });
});
