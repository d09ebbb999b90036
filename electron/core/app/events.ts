// Turns committed store changes into contract events: one `card` event per changed article
// (the whole card, so the board never merges partial state), one `notice` per notice, and the
// whole list of open problems when any of them changed.
import type { HeroEvent } from '../../../shared/contract.ts';
import { listProblems } from '../store/problems.ts';
import { queueState } from '../store/queue-state.ts';
import type { Store } from '../store/store.ts';
import { cardFor, DEFAULT_DUE_WITHIN, DEFAULT_GATE, type CardGate, type CardUrls, type DueWithin } from './cards.ts';

export type EventListener = (event: HeroEvent) => void;

export function createEventHub(
  store: Store,
  urls: CardUrls,
  due: DueWithin = DEFAULT_DUE_WITHIN,
  gate: CardGate = DEFAULT_GATE,
): { onEvent: (listener: EventListener) => () => void; broadcast: (event: HeroEvent) => void; dispose: () => void } {
  const listeners = new Set<EventListener>();
  const unsubscribe = store.onChange((changes) => {
    if (listeners.size === 0) return;
    const events: HeroEvent[] = [];
    for (const articleId of changes.articleIds) {
      const card = cardFor(store, urls, articleId, due, gate);
      if (card) events.push({ type: 'card', seq: changes.seq, card });
    }
    for (const notice of changes.notices) events.push({ type: 'notice', ...notice });
    if (changes.problemsChanged) events.push({ type: 'problems', seq: changes.seq, problems: listProblems(store) });
    if (changes.queueChanged) events.push({ type: 'queue', seq: changes.seq, queue: queueState(store) });
    for (const event of events) for (const listener of listeners) safely(listener, event);
  });
  return {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** An event that is not a store change (presence). */
    broadcast(event) {
      for (const listener of listeners) safely(listener, event);
    },
    dispose: () => {
      unsubscribe();
      listeners.clear();
    },
  };
}

function safely(listener: EventListener, event: HeroEvent): void {
  try {
    listener(event);
  } catch {
    // a broken subscriber (a closed socket) must not stop the others or the pipeline
  }
}
