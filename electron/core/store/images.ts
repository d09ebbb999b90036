import type { ScoreFlag } from '../../../shared/domain.ts';
import type { Store } from './store.ts';

export interface ImageRow {
  id: number;
  article_id: string;
  content_hash: string;
  storage_key: string;
  url: string;
  thumb_url: string;
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
  variants: string;
  created_at: number;
}

export interface NewImage {
  articleId: string;
  contentHash: string;
  storageKey: string;
  url: string;
  thumbUrl: string;
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
    `INSERT INTO images (article_id, content_hash, storage_key, url, thumb_url, content_type, width, height, bytes, provider,
       model, prompt, seed, score, score_reason, description, flags, phash, synthetic, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    image.articleId,
    image.contentHash,
    image.storageKey,
    image.url,
    image.thumbUrl,
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

export function setImageVariants(store: Store, id: number, variants: Record<string, string>): void {
  store.db.run('UPDATE images SET variants = ? WHERE id = ?', JSON.stringify(variants), id);
}

/** Perceptual hashes of images published since `since`, for the near-duplicate check. */
export function publishedHashesSince(store: Store, since: number, exceptArticle: string): { articleId: string; phash: string }[] {
  return store.db.all<{ articleId: string; phash: string }>(
    `SELECT i.article_id AS articleId, i.phash AS phash FROM publications p JOIN images i ON i.id = p.image_id
     WHERE p.status = 'published' AND p.published_at >= ? AND i.phash IS NOT NULL AND i.article_id != ?`,
    since,
    exceptArticle,
  );
}
