// Pre-made hero images per section: the last tier, which always works offline and costs nothing.
// Layout: <dir>/<section-slug>/*.jpg|png|webp plus <dir>/generic/. The newsroom's own `dir` is searched
// first, then the set shipped with the app, so a newsroom can replace one section or all of them.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import type { GenerateRequest, ImageProvider } from '../types.ts';

export const DefaultImageConfigSchema = z.strictObject({
  name: z.string().min(1).default('default-image'),
  /** The newsroom's own library; searched before the shipped one. */
  dir: z.string().min(1).optional(),
});
export type DefaultImageConfig = z.input<typeof DefaultImageConfigSchema>;

export interface DefaultImageDeps {
  /** Where the app's shipped set lives; the packaged app passes its resources path. */
  builtinDir?: string;
}

export const GENERIC_SECTION = 'generic';
const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

/** The shipped set inside the source tree (build/default-images), for tests and headless runs from source. */
export function sourceTreeDefaultImagesDir(): string {
  return fileURLToPath(new URL('../../../../build/default-images', import.meta.url));
}

/**
 * Where the shipped set is at run time. Packaged Electron: <resources>/default-images (electron-builder
 * extraResources); from source: next to this file; bundled dev (`out/main`): the project's build/ folder.
 */
export function shippedDefaultImagesDir(): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(resources ? [join(resources, 'default-images')] : []),
    sourceTreeDefaultImagesDir(),
    join(process.cwd(), 'build', 'default-images'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? sourceTreeDefaultImagesDir();
}

/** "Arts & Culture" → "arts-culture"; accents dropped so "Économie" finds "economie". */
export function sectionSlug(section: string): string {
  return section
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Deterministic pick: the same article and seed always get the same image (stable retries, stable board). */
export function pickIndex(articleId: string, seed: number, count: number): number {
  return createHash('sha256').update(`${articleId}:${seed}`).digest().readUInt32BE(0) % count;
}

async function listImages(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && IMAGE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

interface Choice {
  file: string;
  folder: string;
  fallback: boolean;
}

export function createDefaultImageProvider(config: DefaultImageConfig = {}, deps: DefaultImageDeps = {}): ImageProvider {
  const { name, dir } = DefaultImageConfigSchema.parse(config);
  const libraries = [...new Set([dir, deps.builtinDir ?? shippedDefaultImagesDir()].filter((d) => d !== undefined))];

  /** Folders to try, best first: the section (singular/plural both), then generic; own library before shipped. */
  function candidates(section: string): { root: string; folder: string; fallback: boolean }[] {
    const slug = sectionSlug(section);
    const variants = slug ? [...new Set([slug, slug.endsWith('s') ? slug.slice(0, -1) : `${slug}s`])] : [];
    return libraries.flatMap((root) => [
      ...variants.filter((v) => v !== GENERIC_SECTION).map((folder) => ({ root, folder, fallback: false })),
      { root, folder: GENERIC_SECTION, fallback: true },
    ]);
  }

  async function choose(req: Pick<GenerateRequest, 'articleId' | 'seed' | 'section'>): Promise<Choice> {
    for (const { root, folder, fallback } of candidates(req.section)) {
      const files = await listImages(join(root, folder));
      const file = files[pickIndex(req.articleId, req.seed, Math.max(1, files.length))];
      if (file) return { file: join(root, folder, file), folder, fallback };
    }
    throw new AdapterError(`${name}: no default images found (looked in ${libraries.join(', ')})`, 'bad_request');
  }

  return {
    name,
    synthetic: true,
    estimateCostUsd: () => 0,
    async generate(req) {
      req.signal.throwIfAborted();
      const choice = await choose(req);
      const input = await readFile(choice.file);
      const format = (await sharp(input).metadata()).format;
      const image = sharp(input).rotate().resize(req.width, req.height, { fit: 'cover', position: 'centre' });
      const [bytes, contentType] =
        format === 'png'
          ? [await image.png().toBuffer(), 'image/png']
          : format === 'webp'
            ? [await image.webp({ quality: 90 }).toBuffer(), 'image/webp']
            : [await image.flatten({ background: '#ffffff' }).jpeg({ quality: 88, mozjpeg: true }).toBuffer(), 'image/jpeg'];
      req.signal.throwIfAborted();
      const picked = `${choice.folder}/${choice.file.split(/[\\/]/).pop() ?? ''}`;
      return {
        bytes,
        contentType,
        model: `default-image:${picked}`,
        costUsd: 0,
        seed: null,
        c2pa: false,
        detail: choice.fallback ? `no images for section "${req.section}"; used ${picked}` : `default image ${picked}`,
      };
    },
    async check() {
      await choose({ articleId: 'check', seed: 0, section: GENERIC_SECTION });
    },
  };
}
