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
  /** Made ahead of need (publish-ready): one encode at a time, leaving the cores to work someone waits for. */
  background?: boolean;
  /** Awaited before each encode: lets background work step aside while an editor waits for something. */
  yieldTo?: () => Promise<void>;
  /** Checked before each encode: encodes not yet started are skipped once it aborts. */
  signal?: AbortSignal;
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

// sharp runs each pipeline on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says
// otherwise) with sharp.concurrency() libvips threads each. Encodes run side by side up to one
// less than the pool, so file reads and writes (the board, the media server) still find a free
// thread, and on 2 cores three encodes keep both busy even at one libvips thread each.
const THREAD_POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const encodeSlots = pLimit(Math.max(2, THREAD_POOL - 1));
const backgroundSlots = pLimit(1);
let sharpTuned = false;

/**
 * libvips threads per pipeline: one per core where the memory allocator copes with it (set once,
 * on first use: it is process-wide). glibc's malloc, without MALLOC_ARENA_MAX, keeps the memory of
 * every thread's arena: with a thread per core per encode a desk settled at 450-600 MiB RSS after
 * a few cards against ~250 MiB at sharp's own default of one thread there (docs/benchmarks.md).
 * So this follows sharp's rule: more threads only with musl, jemalloc or MALLOC_ARENA_MAX set
 * (bin/hero-desk.mjs sets it: electron/cli/lean-allocator.ts).
 */
function tuneSharp(): void {
  if (sharpTuned) return;
  sharpTuned = true;
  if (allocatorCopesWithThreads()) sharp.concurrency(availableParallelism());
}

function allocatorCopesWithThreads(): boolean {
  if (process.env.MALLOC_ARENA_MAX) return true;
  const glibc =
    process.platform === 'linux' &&
    Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);
  return !glibc || (sharp as unknown as { _isUsingJemalloc?: () => boolean })._isUsingJemalloc?.() === true;
}

export const AVIF_QUALITY = 55;
/**
 * AVIF's encoder effort (0-9, sharp's default 4). Measured on a 1600×900 hero (docs/benchmarks.md):
 * effort 2 is several times faster than 4 for a file a few per cent larger at the same PSNR,
 * and the AVIF encodes are most of the variants' CPU time. Rerun `npm run bench -- variants`
 * before changing it.
 */
export const AVIF_EFFORT = 2;

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function encoder(pipeline: Sharp, format: VariantFormat): Sharp {
  switch (format) {
    case 'webp':
      return pipeline.webp({ quality: 82, effort: 4 });
    case 'avif':
      return pipeline.avif({ quality: AVIF_QUALITY, effort: AVIF_EFFORT });
    case 'jpeg':
      // JPEG has no alpha: flatten onto white rather than let transparent areas turn black.
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true, progressive: true });
  }
}

/** Decodes the original once, then crops, resizes and encodes every variant. */
export async function makeVariants(original: Buffer, options: VariantOptions = {}): Promise<Variant[]> {
  tuneSharp();
  const decoded = await sharp(original, { autoOrient: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const { width: sourceWidth, height: sourceHeight, channels } = decoded.info;
  const raw = { width: sourceWidth, height: sourceHeight, channels };
  const xmp = options.disclosure ? buildDisclosureXmp(options.disclosure) : options.photo ? buildPhotoXmp(options.photo) : null;

  const outputs = VARIANT_SPECS.flatMap((spec) => spec.formats.map((format) => ({ spec, format })));
  const encodeOne = async ({ spec, format }: (typeof outputs)[number]): Promise<Variant> => {
    const rect = cropRectangle(sourceWidth, sourceHeight, spec.width, spec.height, options.focalPoint);
    let pipeline = sharp(decoded.data, { raw }).extract(rect).resize(spec.width, spec.height, { fit: 'fill', kernel: 'lanczos3' });
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
  };
  // Slowest first (AVIF, large crops): a slow encode left for last would run alone on one core.
  const started = new Map<(typeof outputs)[number], Promise<Variant>>();
  const slots = options.background ? backgroundSlots : encodeSlots;
  const { yieldTo, signal } = options;
  const run = async (output: (typeof outputs)[number]): Promise<Variant> => {
    if (yieldTo) await yieldTo();
    signal?.throwIfAborted();
    return encodeOne(output);
  };
  for (const output of [...outputs].sort(bySlowestFirst))
    started.set(
      output,
      slots(() => run(output)),
    );
  return Promise.all(outputs.map((output) => started.get(output)!));
}

const ENCODE_COST: Record<VariantFormat, number> = { avif: 3, webp: 2, jpeg: 1 };

function bySlowestFirst(a: { spec: VariantSpec; format: VariantFormat }, b: { spec: VariantSpec; format: VariantFormat }): number {
  return ENCODE_COST[b.format] - ENCODE_COST[a.format] || b.spec.width * b.spec.height - a.spec.width * a.spec.height;
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
