// A CoreApi that validates input with the shared contract exactly as the real dispatch does, records
// accepted calls, and lets a test push board events.
import { parseCommand, type DispatchResult, type HeroEvent } from '../../shared/contract.ts';
import type { CoreApi } from '../../electron/core/app/api.ts';
import type { Card } from '../../shared/domain.ts';

export interface FakeCore extends CoreApi {
  calls: { name: string; input: unknown }[];
  /** What `snapshot` returns. */
  cards: Card[];
  emit(event: HeroEvent): void;
  listenerCount(): number;
  /** Makes the next dispatch throw, as an unexpected bug would. */
  failNextWith: Error | null;
}

export function createFakeCore(): FakeCore {
  const listeners = new Set<(event: HeroEvent) => void>();
  const core: FakeCore = {
    calls: [],
    cards: [],
    failNextWith: null,
    async dispatch(name, input): Promise<DispatchResult> {
      if (core.failNextWith !== null) {
        const error = core.failNextWith;
        core.failNextWith = null;
        throw error;
      }
      const command = parseCommand(name, input);
      if (!command.ok) return command;
      core.calls.push({ name, input: command.input });
      if (name === 'snapshot') return { ok: true, value: { seq: 0, cards: core.cards, problems: [], queue: { paused: [] } } };
      return { ok: true, value: name === 'addDemoArticle' ? { recordId: 'rec1' } : { ok: true } };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
  return core;
}
