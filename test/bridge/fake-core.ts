// An in-memory CoreApi: validates like the real dispatch (against the shared contract), records
// every call, and lets a test push events. Enough to exercise the transport without the core.
import { parseCommand, type DispatchResult, type HeroEvent } from '../../shared/contract.ts';
import { IDLE_QUEUE, type Card } from '../../shared/domain.ts';
import type { CoreApi } from '../../electron/core/app/api.ts';

export function sampleCard(overrides: Partial<Card> = {}): Card {
  return {
    articleId: 'rec-1',
    headline: 'Council approves new bike lanes',
    summary: 'The city council voted 7-2.',
    section: 'Local',
    storyType: 'news',
    breaking: false,
    tier: 'regular',
    policy: null,
    stale: false,
    status: 'generated',
    prompt: 'an illustration of bike lanes',
    promptOverride: null,
    image: null,
    score: 7.5,
    scoreReason: 'on topic',
    flags: [],
    costUsd: 0.002,
    attempts: 1,
    history: [],
    altText: null,
    lastError: null,
    canRetryPublication: false,
    dueAt: null,
    retraction: null,
    embargoUntil: null,
    upgrade: null,
    estimatedCostUsd: null,
    checks: [],
    safetyOverride: null,
    version: 1,
    deadlineAt: null,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

export interface FakeCore extends CoreApi {
  calls: { name: string; input: unknown }[];
  emit(event: HeroEvent): void;
  listenerCount(): number;
}

export function createFakeCore(): FakeCore {
  const listeners = new Set<(event: HeroEvent) => void>();
  const calls: { name: string; input: unknown }[] = [];
  return {
    calls,
    emit: (event) => listeners.forEach((listener) => listener(event)),
    listenerCount: () => listeners.size,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispatch(name, input): Promise<DispatchResult> {
      calls.push({ name, input });
      const command = parseCommand(name, input);
      if (!command.ok) return command;
      if (name === 'snapshot') return { ok: true, value: { seq: 3, cards: [sampleCard()], problems: [], queue: IDLE_QUEUE } };
      if (name === 'addDemoArticle') return { ok: true, value: { recordId: 'rec-new' } };
      return { ok: true, value: { ok: true } };
    },
  };
}
