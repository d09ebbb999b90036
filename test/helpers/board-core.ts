// A real core's command side and events over a real SQLite store, without the queue engine or
// adapters: tests and the board benchmark put stories in any state with the store's own
// functions, then drive the board through dispatch and events exactly as the bridge does.
import { join } from 'node:path';
import type { ArticleStatus, Tier } from '../../shared/domain.ts';
import type { CoreApi } from '../../electron/core/app/api.ts';
import { createDispatcher } from '../../electron/core/app/commands.ts';
import { createEventHub } from '../../electron/core/app/events.ts';
import { dueWithinOf } from '../../electron/core/app/cards.ts';
import { TIER_DEFAULTS } from '../../electron/core/config/schema.ts';
import { insertArticle, updateArticle } from '../../electron/core/store/articles.ts';
import { recordAttempt } from '../../electron/core/store/attempts.ts';
import { insertImage } from '../../electron/core/store/images.ts';
import { enqueueJob } from '../../electron/core/store/jobs.ts';
import { Store } from '../../electron/core/store/store.ts';
import { createAccountVerifier } from '../../electron/core/accounts/accounts.ts';
import { createPresence } from '../../electron/core/app/presence.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import type { SettingsService } from '../../electron/core/settings/service.ts';
import type { LaneConfig } from '../../electron/core/queue/lanes.ts';

export interface BoardCore {
  store: Store;
  core: CoreApi;
  /** Adds a story straight into `status` (no transitions logged), with an image and one attempt when it has one. */
  addStory(story: StorySeed): string;
  close(): void;
}

export interface StorySeed {
  id: string;
  headline?: string;
  status: ArticleStatus;
  section?: string;
  tier?: Tier;
  breaking?: boolean;
  score?: number | null;
  summary?: string;
  /** When it came in / last changed (ms); default now. */
  createdAt?: number;
  updatedAt?: number;
}

const HAS_IMAGE: readonly ArticleStatus[] = ['generated', 'approved', 'publishing', 'published', 'rejected', 'scoring'];
const testUrls = { urlFor: (key: string) => `http://media.test/${key}` };

/** The board core has no config file: the settings commands say so. */
const noSettings: SettingsService = {
  read: () => {
    throw new Error('no settings in the board test core');
  },
  validate: () => [],
  save: () => {
    throw new Error('no settings in the board test core');
  },
  checkSourceFields: () => Promise.reject(new Error('no settings in the board test core')),
  setup: () => Promise.reject(new Error('no settings in the board test core')),
};

function lanes(): Map<string, LaneConfig> {
  const names = ['breaking', 'regular', 'default', 'publish'];
  return new Map(
    names.map((name) => [name, { name, concurrency: 1, deadlineMs: null, next: null, maxAttempts: 3, backoffBaseMs: 5, backoffCapMs: 20 }]),
  );
}

export interface BoardCoreOptions {
  now?: () => number;
  /** Where image keys point (default: an address that never answers, for tests that show no images). */
  urlFor?: (key: string) => string;
}

const noImageBytes = async (): Promise<never> => {
  throw new Error('the board test core stores no image bytes');
};

export function createBoardCore(dir: string, options: BoardCoreOptions = {}): BoardCore {
  const now = options.now ?? Date.now;
  const urls = options.urlFor ? { urlFor: options.urlFor } : testUrls;
  const store = new Store(join(dir, 'board.sqlite'), now);
  const tiers = structuredClone(TIER_DEFAULTS);
  const events = createEventHub(store, urls, dueWithinOf(tiers));
  const presence = createPresence(now);
  presence.onChange((list) => events.broadcast({ type: 'presence', seq: store.lastSeq(), presence: list }));
  const dispatch = createDispatcher({
    presence,
    store,
    lanes: lanes(),
    wake: () => undefined,
    tiers,
    urls,
    appInfo: () => ({ version: 'test', transport: 'web', readerUrl: null, autoApproveMinScore: null, thresholds: { minScore: 7 } }),
    secrets: { get: () => undefined },
    secretNames: [],
    recheck: () => undefined,
    addDemoArticle: null,
    checkNow: async () => undefined,
    logger: silentLogger(),
    settings: noSettings,
    // the drawer's image commands are not what the board's grid tests drive: no bytes behind the keys
    storage: { name: 'none', put: noImageBytes, get: noImageBytes, urlFor: urls.urlFor },
    perceptualHash: null,
    site: null,
    undoWindowMs: 0,
  });

  function addStory(seed: StorySeed): string {
    const tier = seed.tier ?? (seed.breaking ? 'breaking' : 'regular');
    store.transaction(() => {
      insertArticle(store, {
        id: seed.id,
        source: 'test',
        headline: seed.headline ?? `Story ${seed.id}`,
        summary: seed.summary ?? 'A story from the local desk.',
        section: seed.section ?? 'Local',
        storyType: 'news',
        breaking: seed.breaking ?? false,
        contentHash: seed.id,
        tier,
        prompt: `Editorial illustration for story ${seed.id}, muted colours, no text`,
        promptOverride: null,
        policy: null,
      });
      // the generate job that made (or is making) its image: open while the story is still in the queue
      const jobId = enqueueJob(store, { kind: 'generate', lane: tier, articleId: seed.id, priority: 0, deadlineAt: null, maxAttempts: 3 });
      const jobStatus =
        seed.status === 'pending' ? 'queued' : seed.status === 'generating' || seed.status === 'scoring' ? 'running' : 'done';
      store.db.run('UPDATE jobs SET status = ? WHERE id = ?', jobStatus, jobId);
      if (HAS_IMAGE.includes(seed.status)) {
        const imageId = insertImage(store, {
          articleId: seed.id,
          contentHash: `hash-${seed.id}`,
          storageKey: `img/${seed.id}.png`,
          thumbKey: `thumb/${seed.id}.webp`,
          contentType: 'image/png',
          width: 1200,
          height: 675,
          bytes: 1000,
          provider: 'title-card',
          model: 'title-card',
          prompt: 'p',
          seed: 1,
          score: seed.score ?? 8,
          scoreReason: 'on topic',
          description: `Illustration for ${seed.id}`,
          flags: [],
          phash: null,
          synthetic: true,
        });
        updateArticle(store, seed.id, { current_image_id: imageId }, 'image');
        recordAttempt(store, {
          jobId,
          articleId: seed.id,
          lane: tier,
          step: 'generate',
          provider: 'title-card',
          model: 'title-card',
          prompt: 'p',
          seed: 1,
          startedAt: now() - 1000,
          costUsd: 0.002,
          outcome: 'ok',
          error: null,
          score: seed.score ?? 8,
          imageId,
        });
      }
      store.db.run(
        'UPDATE articles SET status = ?, created_at = ?, updated_at = ? WHERE id = ?',
        seed.status,
        seed.createdAt ?? now(),
        seed.updatedAt ?? seed.createdAt ?? now(),
        seed.id,
      );
    });
    return seed.id;
  }

  return {
    store,
    core: { dispatch, onEvent: events.onEvent, accounts: createAccountVerifier(store), presence },
    addStory,
    close() {
      events.dispose();
      store.close();
    },
  };
}
