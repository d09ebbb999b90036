// Articles in a real SQLite store whose write-back outbox rows come from the real commit hook,
// real hero files on disk storage, and a check that a fake AITable record shows exactly what
// its article's state says.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ImageStorage } from '../../electron/core/adapters/types.ts';
import { createAitableWriteBack } from '../../electron/core/adapters/aitable/index.ts';
import { desiredWriteBackState, recordWriteBackStates } from '../../electron/core/app/write-back-state.ts';
import { insertArticle } from '../../electron/core/store/articles.ts';
import { insertImage, setImageVariants } from '../../electron/core/store/images.ts';
import { insertPublication, markPublished } from '../../electron/core/store/publications.ts';
import type { Store } from '../../electron/core/store/store.ts';
import type { FakeFusion } from '../aitable/fake-fusion-server.ts';
import { testStore } from '../helpers/test-store.ts';

export const FIELDS = {
  status: 'Image status',
  imageUrl: 'Image URL',
  imageAttachment: 'Image',
  score: 'Score',
  cost: 'Cost',
  altText: 'Alt text',
};
export const LABELS: Record<string, string> = {
  queued: 'Queued',
  generated: 'Generated',
  approved: 'Approved',
  published: 'Published',
  failed: 'Failed',
  rejected: 'Rejected',
};

export function aitableConfig(fake: FakeFusion, requestsPerSecond = 5) {
  return {
    baseUrl: fake.baseUrl,
    datasheetId: fake.datasheetId,
    writeBack: { enabled: true, fields: FIELDS },
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
    requestTimeoutMs: 2_000,
    requestsPerSecond,
  };
}

export const tokenSecrets = { get: (name: string) => (name === 'aitable' ? 'test-token' : undefined) };

export function writeBackFor(fake: FakeFusion, requestsPerSecond = 5) {
  return createAitableWriteBack(aitableConfig(fake, requestsPerSecond), { secrets: tokenSecrets });
}

/** A store that records write-back states (as the core does when write-back is configured). */
export function openRecordingStore(path: string): Store {
  const store = testStore(path);
  recordWriteBackStates(store, 0);
  return store;
}

/** A stand-in for disk storage: files under `dir`, URLs on a fixed made-up origin. */
export function fileStorage(dir: string): Pick<ImageStorage, 'get' | 'urlFor'> {
  return {
    urlFor: (key) => `https://media.example/${key}`,
    get: async (key) => (await import('node:fs/promises')).readFile(join(dir, key)),
  };
}

/** `count` records in the fake and matching articles; every third is published with a hero file to attach. */
export function seedArticles(store: Store, fake: FakeFusion, mediaDir: string, count: number): string[] {
  const ids: string[] = [];
  const hero = Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 fake-hero-bytes');
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = fake.addRecord({ Headline: `Story ${i}`, Summary: 'Summary', Section: 'Local' });
      ids.push(id);
      insertArticle(store, {
        id,
        source: 'aitable',
        headline: `Story ${i}`,
        summary: '',
        section: 'Local',
        storyType: null,
        breaking: false,
        contentHash: id,
        tier: 'regular',
        prompt: 'p',
        promptOverride: null,
        policy: null,
      });
      if (i % 3 !== 0) continue;
      const heroKey = `heroes/${String(i).padStart(16, '0')}/story-${i}-hero.webp`;
      mkdirSync(join(mediaDir, heroKey, '..'), { recursive: true });
      writeFileSync(join(mediaDir, heroKey), hero);
      const imageId = insertImage(store, {
        articleId: id,
        contentHash: `c${i}`,
        storageKey: `originals/${i}.png`,
        thumbKey: `thumbs/${i}.webp`,
        contentType: 'image/png',
        width: 1792,
        height: 1024,
        bytes: 10,
        provider: 'title-card',
        model: 'm',
        prompt: 'p',
        seed: 1,
        score: 8,
        scoreReason: 'ok',
        description: `Alt ${i}`,
        flags: [],
        phash: null,
        synthetic: true,
      });
      setImageVariants(store, imageId, { 'hero.webp': heroKey });
      store.db.run("UPDATE articles SET status = 'published', current_image_id = ?, version = 1 WHERE id = ?", imageId, id);
      markPublished(store, insertPublication(store, { articleId: id, imageId, kind: 'publish', version: 1 }));
      store.logEvent('seeded', id);
    }
  });
  return ids;
}

/** The record shows exactly its article's state: status, URL, score, cost, alt text, one attachment when published. */
export function expectRecordShowsState(fake: FakeFusion, store: Store, storage: Pick<ImageStorage, 'urlFor'>, articleId: string): void {
  const state = desiredWriteBackState(store, articleId)!;
  const cells = fake.cellsOf(articleId);
  expect(cells['Image status'], articleId).toBe(LABELS[state.status]);
  expect((cells['Image URL'] as { text?: string } | undefined)?.text ?? null).toBe(state.imageKey ? storage.urlFor(state.imageKey) : null);
  expect(cells['Score'] ?? null).toBe(state.score);
  expect(cells['Alt text'] ?? null).toBe(state.altText);
  expect(cells['Cost'] ?? 0).toBe(Math.round(state.costUsd * 10_000) / 10_000);
  const attached = (cells['Image'] as { name: string }[] | undefined) ?? [];
  expect(attached.length).toBe(state.attachmentKey ? 1 : 0);
}

export function uploadsPerName(fake: FakeFusion): Map<string, number> {
  const counts = new Map<string, number>();
  for (const asset of fake.uploads.values()) counts.set(asset.name, (counts.get(asset.name) ?? 0) + 1);
  return counts;
}
