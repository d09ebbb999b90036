// The store hands out domain values, never SQLite's encodings: 0/1 flags come back as booleans and
// JSON columns as parsed values, from every function that reads articles or images.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/store/store.ts';
import { getArticle, insertArticle, listBoardArticles, requireArticle, updateArticle } from '../../electron/core/store/articles.ts';
import { boardRowsFor, listOpenArticles, listSettledArticles } from '../../electron/core/store/board-rows.ts';
import { getImage, imagesForArticle, insertImage, setImageVariants } from '../../electron/core/store/images.ts';
import { tempDirs } from '../helpers/temp.ts';
import { testStore } from '../helpers/test-store.ts';

const dirs = tempDirs();
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
  dirs.cleanup();
});

function seed(s: Store, id: string, breaking: boolean): number {
  return s.transaction(() => seedInside(s, id, breaking));
}

function seedInside(s: Store, id: string, breaking: boolean): number {
  insertArticle(s, {
    id,
    source: 'test',
    headline: `Headline ${id}`,
    summary: 'Summary',
    section: 'Local',
    storyType: null,
    breaking,
    contentHash: 'h',
    tier: breaking ? 'breaking' : 'regular',
    prompt: 'a prompt',
    promptOverride: null,
    policy: null,
  });
  const imageId = insertImage(s, {
    articleId: id,
    contentHash: `hash-${id}`,
    storageKey: `img/${id}.png`,
    thumbKey: `thumb/${id}.webp`,
    contentType: 'image/png',
    width: 1200,
    height: 675,
    bytes: 1000,
    provider: 'title-card',
    model: 'title-card',
    prompt: 'p',
    seed: 1,
    score: 8,
    scoreReason: 'on topic',
    description: 'd',
    flags: ['legible_text'],
    phash: null,
    synthetic: breaking,
  });
  updateArticle(s, id, { current_image_id: imageId }, 'image');
  return imageId;
}

describe('rows mapped to domain values in the store', () => {
  it('reads 0/1 flags as booleans and JSON columns as values, and writes booleans back as 0/1', () => {
    store = testStore(join(dirs.make(), 'db.sqlite'));
    const imageId = seed(store, 'recBreaking', true);
    seed(store, 'recQuiet', false);
    store.transaction(() => setImageVariants(store!, imageId, { 'hero.webp': 'variants/hero.webp' }));

    expect(getArticle(store, 'recBreaking')).toMatchObject({ breaking: true, stale: false });
    expect(requireArticle(store, 'recQuiet')).toMatchObject({ breaking: false, stale: false });
    for (const articles of [listBoardArticles(store, 0), listOpenArticles(store)]) {
      expect(articles.map((article) => [article.id, article.breaking])).toEqual(
        expect.arrayContaining([
          ['recBreaking', true],
          ['recQuiet', false],
        ]),
      );
    }
    const image = getImage(store, imageId)!;
    expect(image).toMatchObject({ flags: ['legible_text'], synthetic: true, variants: { 'hero.webp': 'variants/hero.webp' } });
    expect(imagesForArticle(store, 'recQuiet')[0]).toMatchObject({ flags: ['legible_text'], synthetic: false, variants: {} });
    const rows = boardRowsFor(store, listOpenArticles(store));
    expect(rows.images.get(imageId)).toMatchObject({ flags: ['legible_text'], synthetic: true });

    store.transaction(() => updateArticle(store!, 'recQuiet', { stale: true }, 'stale'));
    expect(getArticle(store, 'recQuiet')?.stale).toBe(true);
    // on disk it is still SQLite's integer, so older cores and the migrations read it as before
    expect(store.db.get<{ stale: number }>("SELECT stale FROM articles WHERE id = 'recQuiet'")?.stale).toBe(1);
    store.db.run("UPDATE articles SET status = 'published' WHERE id = 'recQuiet'");
    expect(listSettledArticles(store, 'published', null, 10).map((article) => article.stale)).toEqual([true]);
  });

  it('reads an unreadable JSON column as empty, not as an exception on the board', () => {
    store = testStore(join(dirs.make(), 'db.sqlite'));
    const imageId = seed(store, 'recBad', false);
    store.db.run("UPDATE images SET flags = 'not json', variants = '[1,2]', variants_made_with = '{\"alt\":1}' WHERE id = ?", imageId);
    expect(getImage(store, imageId)).toMatchObject({ flags: [], variants: {}, variants_made_with: null });
  });

  it('reads what the variants were made with as a value, rows written before it was structured included', () => {
    store = testStore(join(dirs.make(), 'db.sqlite'));
    const imageId = seed(store, 'recRecipe', false);
    // the text an earlier core wrote (JSON.stringify of the recipe): read as is, no migration
    const earlier = '{"focal":{"x":0.3,"y":0.6},"alt":"Harbour at dusk","credit":"Illustration: AI (title-card) · The Herald"}';
    store.db.run('UPDATE images SET variants_made_with = ? WHERE id = ?', earlier, imageId);
    expect(getImage(store, imageId)?.variants_made_with).toEqual({
      focal: { x: 0.3, y: 0.6 },
      alt: 'Harbour at dusk',
      credit: 'Illustration: AI (title-card) · The Herald',
    });

    const centred = { focal: null, alt: 'Pier lights', credit: 'Photo: Ana' };
    store.transaction(() => setImageVariants(store!, imageId, { 'hero.webp': 'variants/hero.webp' }, centred));
    expect(getImage(store, imageId)?.variants_made_with).toEqual(centred);
    // on disk the same JSON text as before, so an older core reads it as it always did
    expect(store.db.get<{ made: string }>('SELECT variants_made_with AS made FROM images WHERE id = ?', imageId)?.made).toBe(
      '{"focal":null,"alt":"Pier lights","credit":"Photo: Ana"}',
    );
    store.transaction(() => setImageVariants(store!, imageId, {}));
    expect(getImage(store, imageId)?.variants_made_with).toBeNull();
  });
});
