// Web variants of an approved hero image: fixed crops (hero / og / square / thumb) in modern and
// fallback formats, cropped around the editor's focal point, with the AI disclosure embedded.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { CROP_SIZES, cropRectangle, type CropName, type CropRectangle } from '../../../shared/crop.ts';
import type { FocalPoint } from '../../../shared/domain.ts';
import type { DisclosureInfo, PhotoDisclosureInfo } from './disclosure.ts';
import { buildDisclosureXmp, buildPhotoXmp } from './disclosure.ts';

export type VariantName = CropName;
export type VariantFormat = 'webp' | 'avif' | 'jpeg';

export interface Variant {
  name: VariantName;
  format: VariantFormat;
  width: number;
  height: number;
  bytes: Buffer;
  contentType: string;
  /** sha256 of `bytes`, hex, first 16 characters: the content address. */
  hash: string;
}

export type { FocalPoint };
export { cropRectangle, type CropRectangle };

export interface VariantOptions {
  focalPoint?: FocalPoint;
  /** Present for AI images; absent for synthetic ones (title cards, default images), which get no disclosure. */
  disclosure?: DisclosureInfo;
  /** Present for an editor's photo: marked as a capture with its credit, never as AI output. */
  photo?: PhotoDisclosureInfo;
}

export interface VariantSpec {
  name: VariantName;
  width: number;
  height: number;
  formats: readonly VariantFormat[];
}

/** The sizes come from shared/crop.ts (the drawer previews the same crops). */
export const VARIANT_SPECS: readonly VariantSpec[] = CROP_SIZES.map(({ name, width, height }) => ({
  name,
  width,
  height,
  // Thumbnails are tiny; AVIF's extra encode time buys almost nothing there.
  formats: name === 'thumb' ? (['webp', 'jpeg'] as const) : (['webp', 'avif', 'jpeg'] as const),
}));

const CONTENT_TYPES: Record<VariantFormat, string> = { webp: 'image/webp', avif: 'image/avif', jpeg: 'image/jpeg' };
const EXTENSIONS: Record<VariantFormat, string> = { webp: 'webp', avif: 'avif', jpeg: 'jpg' };

// Each sharp pipeline already uses several libvips threads; running every encode at once would
// oversubscribe the CPU and starve the board's event loop. One limiter for the whole process.
const encodeSlots = pLimit(Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2) || 1)));

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function encoder(pipeline: Sharp, format: VariantFormat): Sharp {
  switch (format) {
    case 'webp':
      return pipeline.webp({ quality: 82, effort: 4 });
    case 'avif':
      // effort 2 vs the default 4: about 4x faster on a 1600x900 hero for ~5-10% larger files.
      return pipeline.avif({ quality: 55, effort: 2 });
    case 'jpeg':
      // JPEG has no alpha: flatten onto white rather than let transparent areas turn black.
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true, progressive: true });
  }
}

/** Decodes the original once, then crops, resizes and encodes every variant. */
export async function makeVariants(original: Buffer, options: VariantOptions = {}): Promise<Variant[]> {
  const decoded = await sharp(original, { autoOrient: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: sourceWidth, height: sourceHeight, channels } = decoded.info;
  const raw = { width: sourceWidth, height: sourceHeight, channels };
  const xmp = options.disclosure ? buildDisclosureXmp(options.disclosure) : options.photo ? buildPhotoXmp(options.photo) : null;

  const jobs = VARIANT_SPECS.flatMap((spec) => {
    const rect = cropRectangle(sourceWidth, sourceHeight, spec.width, spec.height, options.focalPoint);
    return spec.formats.map((format) =>
      encodeSlots(async (): Promise<Variant> => {
        let pipeline = sharp(decoded.data, { raw })
          .extract(rect)
          .resize(spec.width, spec.height, { fit: 'fill', kernel: 'lanczos3' });
        if (xmp) pipeline = pipeline.withXmp(xmp);
        const bytes = await encoder(pipeline, format).toBuffer();
        return {
          name: spec.name,
          format,
          width: spec.width,
          height: spec.height,
          bytes,
          contentType: CONTENT_TYPES[format],
          hash: contentHash(bytes),
        };
      }),
    );
  });
  return Promise.all(jobs);
}

/** Lower-case, dash-separated, ASCII only: safe in a URL path and readable in a CDN log. */
function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/**
 * Content-addressed storage key: `heroes/<hash>/<slug>-<name>.<ext>` (or `heroes/<hash>/<name>.<ext>`
 * when the slug is empty). The hash makes the object immutable and a retry land on the same key;
 * the slug only makes the file name readable.
 */
export function variantKey(articleSlugOrId: string, variant: Pick<Variant, 'name' | 'format' | 'hash'>): string {
  const slug = slugify(articleSlugOrId);
  const file = `${slug ? `${slug}-` : ''}${variant.name}.${EXTENSIONS[variant.format]}`;
  return `heroes/${variant.hash}/${file}`;
}
