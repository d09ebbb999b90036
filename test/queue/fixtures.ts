import { join } from 'node:path';
import { insertArticle } from '../../electron/core/store/articles.ts';
import { enqueueJob } from '../../electron/core/store/jobs.ts';
import type { Store } from '../../electron/core/store/store.ts';
import type { LaneConfig } from '../../electron/core/queue/lanes.ts';
import { testStore } from '../helpers/test-store.ts';

export function lane(name: string, overrides: Partial<LaneConfig> = {}): LaneConfig {
  return { name, concurrency: 1, deadlineMs: null, next: null, maxAttempts: 3, backoffBaseMs: 5, backoffCapMs: 20, ...overrides };
}

export function openStore(dir: string): Store {
  return testStore(join(dir, 'queue.sqlite'));
}

/** A regular story as the source would hand it in, its headline its id. */
export function articleInput(id: string) {
  return {
    id,
    source: 'test',
    headline: id,
    summary: '',
    section: 'Local',
    storyType: null,
    breaking: false,
    contentHash: id,
    tier: 'regular' as const,
    prompt: 'p',
    promptOverride: null,
    policy: null,
  };
}

/** An article plus one queued generate job on `laneName`. */
export function seedJob(
  store: Store,
  id: string,
  laneName: string,
  options: { priority?: number; deadlineAt?: number | null; maxAttempts?: number } = {},
): number {
  return store.transaction(() => {
    insertArticle(store, articleInput(id));
    return enqueueJob(store, {
      kind: 'generate',
      lane: laneName,
      articleId: id,
      priority: options.priority ?? 10,
      deadlineAt: options.deadlineAt ?? null,
      maxAttempts: options.maxAttempts ?? 3,
    });
  });
}

export function jobRow(store: Store, id: number) {
  return store.db.get<{ status: string; lane: string; attempts: number; last_error: string | null; run_after: number }>(
    'SELECT status, lane, attempts, last_error, run_after FROM jobs WHERE id = ?',
    id,
  );
}
