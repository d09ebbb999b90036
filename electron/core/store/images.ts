import { z } from 'zod';
import { FocalPointSchema, ScoreFlagSchema, type ScoreFlag } from '../../../shared/domain.ts';
import type { Store } from './store.ts';

const VariantKeysSchema = z.record(z.string(), z.string());

/**
 * What published variants were made with besides the original's bytes: the crop centre (null =
 * centred), the alt text and the credit line written into them. Kept as JSON in variants_made_with.
 */
export const VariantsRecipeSchema = z.object({ focal: FocalPointSchema.nullable(), alt: z.string(), credit: z.string() });
export type VariantsRecipe = z.infer<typeof VariantsRecipeSchema>;

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
  flags: ScoreFlag[];
  phash: string | null;
  synthetic: boolean;
  /** Variant name (e.g. "hero.webp") → storage key, written at publication. */
  variants: Record<string, string>;
  created_at: number;
  /** generated: by a provider of the tier chain; editor: a photo file the editor supplied. */
  source: 'generated' | 'editor';
  job_id: number | null;
  cost_usd: number | null;
  revised_prompt: string | null;
  /** The editor's overrides; null = automatic. */
  alt_text: string | null;
  credit: string | null;
  focal_x: number | null;
  focal_y: number | null;
  file_name: string | null;
  /** What the stored variants were made with (see setImageVariants); null before this was recorded (or unreadable). */
  variants_made_with: VariantsRecipe | null;
  /** Material hash of the story the image was made for (adapters/content-hash.ts); null before it was recorded. */
  made_for: string | null;
  /** Why an editor approved it despite a failed safety check; null = no override. */
  safety_override: string | null;
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
  source?: ImageRow['source'];
  jobId?: number | null;
  costUsd?: number | null;
  revisedPrompt?: string | null;
  credit?: string | null;
  fileName?: string | null;
  /** Material hash of the story as it read when the image was made (staleness is derived from it). */
  madeFor?: string | null;
}

export function insertImage(store: Store, image: NewImage): number {
  const { lastInsertRowid } = store.db.run(
    `INSERT INTO images (article_id, content_hash, storage_key, thumb_key, content_type, width, height, bytes, provider,
       model, prompt, seed, score, score_reason, description, flags, phash, synthetic, created_at,
       source, job_id, cost_usd, revised_prompt, credit, file_name, made_for)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    image.source ?? 'generated',
    image.jobId ?? null,
    image.costUsd ?? null,
    image.revisedPrompt ?? null,
    image.credit ?? null,
    image.fileName ?? null,
    image.madeFor ?? null,
  );
  store.logEvent('image', image.articleId, { imageId: lastInsertRowid, provider: image.provider, score: image.score });
  return lastInsertRowid;
}

/** The row as SQLite holds it: JSON strings and 0/1. Nothing outside store/ sees this shape. */
export type ImageRecord = Omit<ImageRow, 'flags' | 'synthetic' | 'variants' | 'variants_made_with'> & {
  flags: string;
  synthetic: number;
  variants: string;
  variants_made_with: string | null;
};

/**
 * The one place a raw images row becomes an ImageRow: flags, variants and their recipe parsed
 * (unreadable: none, so the variants count as made with the defaults), synthetic a boolean.
 */
export function imageFromRecord(record: ImageRecord): ImageRow {
  const flags = ScoreFlagSchema.array().safeParse(parseJson(record.flags));
  const variants = VariantKeysSchema.safeParse(parseJson(record.variants));
  const madeWith = record.variants_made_with === null ? null : VariantsRecipeSchema.safeParse(parseJson(record.variants_made_with));
  return {
    ...record,
    flags: flags.success ? flags.data : [],
    synthetic: record.synthetic === 1,
    variants: variants.success ? variants.data : {},
    variants_made_with: madeWith?.success ? madeWith.data : null,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function getImage(store: Store, id: number): ImageRow | undefined {
  const record = store.db.get<ImageRecord>('SELECT * FROM images WHERE id = ?', id);
  return record && imageFromRecord(record);
}

/** Every image made or supplied for an article, oldest first: the candidates the editor picks from. */
export function imagesForArticle(store: Store, articleId: string): ImageRow[] {
  return store.db.all<ImageRecord>('SELECT * FROM images WHERE article_id = ? ORDER BY id', articleId).map(imageFromRecord);
}

/**
 * The scorer's revised prompt on the story's newest image, unless the editor edited the prompt
 * since (their own words win): what a Regenerate without an edited prompt should try.
 */
export function latestSuggestion(store: Store, articleId: string): string | null {
  const image = store.db.get<{ revised_prompt: string | null; created_at: number }>(
    'SELECT revised_prompt, created_at FROM images WHERE article_id = ? ORDER BY id DESC LIMIT 1',
    articleId,
  );
  const suggestion = image?.revised_prompt?.trim();
  if (!image || !suggestion) return null;
  const edited =
    store.db.get<{ at: number | null }>("SELECT MAX(at) AS at FROM events WHERE article_id = ? AND type = 'prompt_edited'", articleId)
      ?.at ?? null;
  return edited !== null && edited > image.created_at ? null : suggestion;
}

/** The editor's overrides for one image; undefined leaves a field as it is, null clears it. */
export interface ImageOverrides {
  altText?: string | null;
  credit?: string | null;
  focalPoint?: { x: number; y: number } | null;
}

export function setImageOverrides(store: Store, image: Pick<ImageRow, 'id' | 'article_id'>, overrides: ImageOverrides): void {
  const columns: Record<string, string | number | null> = {};
  if (overrides.altText !== undefined) columns.alt_text = overrides.altText || null;
  if (overrides.credit !== undefined) columns.credit = overrides.credit || null;
  if (overrides.focalPoint !== undefined) {
    columns.focal_x = overrides.focalPoint?.x ?? null;
    columns.focal_y = overrides.focalPoint?.y ?? null;
  }
  const entries = Object.entries(columns);
  if (entries.length === 0) return;
  store.db.run(
    `UPDATE images SET ${entries.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
    ...entries.map(([, value]) => value),
    image.id,
  );
  store.logEvent('image_details', image.article_id, { imageId: image.id, ...columns });
}

/** An editor approved this image over a failed safety check: their reason (logged with the checks it overrode). */
export function setSafetyOverride(
  store: Store,
  image: Pick<ImageRow, 'id' | 'article_id'>,
  reason: string,
  failed: readonly string[],
): void {
  store.db.run('UPDATE images SET safety_override = ? WHERE id = ?', reason, image.id);
  store.logEvent('safety_override', image.article_id, { imageId: image.id, reason, failed });
}

/** The focal point the crops centre on; undefined when the editor has not set one (centred). */
export function focalPointOf(image: Pick<ImageRow, 'focal_x' | 'focal_y'>): { x: number; y: number } | undefined {
  return image.focal_x === null || image.focal_y === null ? undefined : { x: image.focal_x, y: image.focal_y };
}

/**
 * Variant name → storage key, as stored at publication, with what they were made with (focal point,
 * alt text, credit): once the editor changes one of those, the next publication makes them again.
 */
export function setImageVariants(
  store: Store,
  id: number,
  variantKeys: Record<string, string>,
  madeWith: VariantsRecipe | null = null,
): void {
  const recipe = madeWith && JSON.stringify(VariantsRecipeSchema.parse(madeWith));
  store.db.run('UPDATE images SET variants = ?, variants_made_with = ? WHERE id = ?', JSON.stringify(variantKeys), recipe, id);
}

export function variantKeysOf(image: Pick<ImageRow, 'variants'>): Record<string, string> {
  return image.variants;
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
