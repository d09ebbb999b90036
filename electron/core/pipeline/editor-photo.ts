// An editor's own photo instead of a generated image: decoded with sharp before anything is kept
// (a renamed PDF, a truncated download or a 200-megapixel scan is refused with a message that
// says what to send instead), then stored like any image (content-addressed original, thumbnail)
// and made the story's image. It is published as a photo: no AI disclosure.
import sharp from 'sharp';
import { MAX_PHOTO_BYTES } from '../../../shared/contract.ts';
import type { ImageStorage } from '../adapters/types.ts';
import { insertImage } from '../store/images.ts';
import { requireArticle } from '../store/articles.ts';
import { ActionRefusedError, useImage, type ActionDeps } from './article-actions.ts';
import { storeImage } from './store-image.ts';
import { materialHash } from '../adapters/content-hash.ts';

/** Past this a file is more likely a scan or a panorama than a news photo, and decoding it costs seconds. */
export const MAX_PHOTO_PIXELS = 50_000_000;
/** The Open Graph crop's size: smaller photos would be blown up in every crop readers see. */
export const MIN_PHOTO_WIDTH = 1200;
export const MIN_PHOTO_HEIGHT = 630;

const CONTENT_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

/** The file is not something we can publish; the message names the fix. */
export class PhotoRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoRejectedError';
  }
}

export interface CheckedPhoto {
  contentType: string;
  width: number;
  height: number;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Decodes the whole file once: only a readable JPEG, PNG, WebP or AVIF of a sensible size passes. */
export async function checkPhoto(fileName: string, bytes: Buffer): Promise<CheckedPhoto> {
  const name = `“${fileName}”`;
  if (bytes.length === 0) throw new PhotoRejectedError(`${name} is empty; choose the photo file again`);
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new PhotoRejectedError(
      `${name} is ${megabytes(bytes.length)}; the limit is ${megabytes(MAX_PHOTO_BYTES)}: export it as a JPEG at web size`,
    );
  }
  const metadata = await sharp(bytes)
    .metadata()
    .catch(() => null);
  const format = metadata?.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata?.format;
  const contentType = format ? CONTENT_TYPES[format] : undefined;
  if (!metadata || !contentType) {
    const what = metadata?.format ? `a ${metadata.format.toUpperCase()} file` : 'not an image Hero Desk can read';
    throw new PhotoRejectedError(`${name} is ${what}; use a JPEG, PNG, WebP or AVIF photo`);
  }
  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  if (width * height > MAX_PHOTO_PIXELS) {
    throw new PhotoRejectedError(
      `${name} is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels); the limit is ${MAX_PHOTO_PIXELS / 1e6}: resize it first`,
    );
  }
  if (width < MIN_PHOTO_WIDTH || height < MIN_PHOTO_HEIGHT) {
    throw new PhotoRejectedError(
      `${name} is only ${width}×${height}; use one at least ${MIN_PHOTO_WIDTH}×${MIN_PHOTO_HEIGHT} so the hero and social crops stay sharp`,
    );
  }
  // the header can be fine while the data is cut short: decode it all. Unlike imaging/decode-check.ts
  // (provider images, a few megapixels) the output is shrunk, so a 50-megapixel photo is read in
  // full without holding 150 MB of raw pixels.
  try {
    await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'truncated' }).resize(64).raw().toBuffer();
  } catch {
    throw new PhotoRejectedError(`${name} is damaged or cut short (it does not decode); save or download it again`);
  }
  return { contentType, width, height };
}

export interface PhotoDeps extends ActionDeps {
  storage: ImageStorage;
  perceptualHash: ((bytes: Buffer) => Promise<string>) | null;
}

/** Checks, stores and uses the editor's photo; returns its image id. */
export async function useEditorPhoto(
  deps: PhotoDeps,
  input: { articleId: string; fileName: string; bytes: Buffer; credit: string | null },
): Promise<number> {
  const article = requireArticle(deps.store, input.articleId);
  if (article.status === 'publishing')
    throw new ActionRefusedError(`“${article.headline}” is being published right now; add the photo once it is live`);
  // the name only: no folders (a Windows path from a drag), no control characters
  const fileName =
    input.fileName
      .replace(/^.*[\\/]/, '')
      // eslint-disable-next-line no-control-regex -- stripping control characters on purpose
      .replace(/[\u0000-\u001f]/g, '')
      .slice(0, 255) || 'photo';
  const photo = await checkPhoto(fileName, input.bytes);
  const stored = await storeImage(deps.storage, input.bytes, photo.contentType);
  const phash = deps.perceptualHash ? await deps.perceptualHash(input.bytes) : null;
  return deps.store.transaction(() => {
    const imageId = insertImage(deps.store, {
      articleId: input.articleId,
      contentHash: stored.contentHash,
      storageKey: stored.key,
      thumbKey: stored.thumbKey,
      contentType: stored.contentType,
      width: stored.width,
      height: stored.height,
      bytes: stored.bytes,
      provider: 'editor',
      model: 'photo',
      prompt: '',
      seed: 0,
      score: null,
      scoreReason: null,
      description: null,
      flags: [],
      phash,
      synthetic: false,
      source: 'editor',
      costUsd: 0,
      credit: input.credit?.trim() || null,
      fileName,
      madeFor: materialHash(requireArticle(deps.store, input.articleId)),
    });
    useImage(deps, input.articleId, imageId, 'photo supplied by editor');
    return imageId;
  });
}
