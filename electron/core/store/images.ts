import type { ScoreFlag } from '../../../shared/domain.ts';
import type { Store } from './store.ts';

export interface ImageRow {
  id: number;
  article_id: string;
  content_hash: string;
  /** The original's storage key; URLs are made from keys when read (storage.urlFor). */
  storage_key: string;
  thumb_key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  provider: string;
  model: string;
  prompt: string;
  seed: number;
  score: number | null;
  score_reason: string | null;
  description: string | null;
  flags: string;
  phash: string | null;
  synthetic: number;
  /** JSON: variant name (e.g. "hero.webp") → storage key, written at publication. */
  variants: string;
  created_at: number;
}

export interface NewImage {
  articleId: string;
  contentHash: string;
  storageKey: string;
  thumbKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  provider: string;
  model: string;
  prompt: string;
  seed: number;
  score: number | null;
  scoreReason: string | null;
  description: string | null;
  flags: ScoreFlag[];
  phash: string | null;
  synthetic: boolean;
}

export function insertImage(store: Store, image: NewImage): number {
  const { lastInsertRowid } = store.db.run(
    `INSERT INTO images (article_id, content_hash, storage_key, thumb_key, content_type, width, height, bytes, provider,
       model, prompt, seed, score, score_reason, description, flags, phash, synthetic, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    image.articleId,
    image.contentHash,
    image.storageKey,
    image.thumbKey,
    image.contentType,
    image.width,
    image.height,
    image.bytes,
    image.provider,
    image.model,
    image.prompt,
    image.seed,
    image.score,
    image.scoreReason,
    image.description,
    JSON.stringify(image.flags),
    image.phash,
    image.synthetic ? 1 : 0,
    store.now(),
  );
  store.logEvent('image', image.articleId, { imageId: lastInsertRowid, provider: image.provider, score: image.score });
  return lastInsertRowid;
}

export function getImage(store: Store, id: number): ImageRow | undefined {
  return store.db.get<ImageRow>('SELECT * FROM images WHERE id = ?', id);
}

/** Variant name → storage key, as stored at publication. */
export function setImageVariants(store: Store, id: number, variantKeys: Record<string, string>): void {
  store.db.run('UPDATE images SET variants = ? WHERE id = ?', JSON.stringify(variantKeys), id);
}

export function variantKeysOf(image: Pick<ImageRow, 'variants'>): Record<string, string> {
  return JSON.parse(image.variants) as Record<string, string>;
}

/** The key readers load (the hero web variant), once the image has been published. */
export const HERO_VARIANT = 'hero.webp';

/** Perceptual hashes of images published since `since`, for the near-duplicate check. */
export function publishedHashesSince(store: Store, since: number, exceptArticle: string): { articleId: string; phash: string }[] {
  return store.db.all<{ articleId: string; phash: string }>(
    `SELECT i.article_id AS articleId, i.phash AS phash FROM publications p JOIN images i ON i.id = p.image_id
     WHERE p.status = 'published' AND p.published_at >= ? AND i.phash IS NOT NULL AND i.article_id != ?`,
    since,
    exceptArticle,
  );
}
