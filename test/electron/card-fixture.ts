// One valid board card (checked against the shared schema), for the shell's tests.
import { CardSchema, type Card } from '../../shared/domain.ts';

export function card(overrides: Partial<Card> = {}): Card {
  return CardSchema.parse({
    articleId: 'rec1',
    headline: 'Bridge closed after crash',
    summary: '',
    section: 'Local',
    storyType: null,
    breaking: false,
    tier: 'regular',
    policy: null,
    stale: false,
    status: 'pending',
    prompt: 'p',
    promptOverride: null,
    image: null,
    score: null,
    scoreReason: null,
    flags: [],
    costUsd: 0,
    attempts: 0,
    history: [],
    altText: null,
    lastError: null,
    canRetryPublication: false,
    version: 1,
    deadlineAt: null,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  });
}
