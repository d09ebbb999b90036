// The embedded storage: objects as files under a directory, served by the media server.
// Writes are atomic (temp file + rename) so a reader or a crash never sees half an image.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AdapterError, errorCode, fsFailure } from '../../base/failures.ts';
import type { ImageStorage, StoredObject } from '../types.ts';
import { META_SUFFIX, keyProblem, pathForKey, urlPathForKey } from './storage-keys.ts';

export const DiskStorageConfigSchema = z.object({
  dir: z.string().min(1),
  /** Where the media server is reachable, e.g. http://127.0.0.1:43127 (no trailing /media). */
  baseUrl: z.url({ protocol: /^https?$/ }),
});
export type DiskStorageConfig = z.input<typeof DiskStorageConfigSchema>;

/** What the sidecar `<key>.meta.json` holds; the media server reads contentType from it. */
export interface StoredMeta {
  contentType: string;
  size: number;
  metadata: Record<string, string>;
  storedAt: number;
}

// The one failure policy decides: a full disk or a permission problem is retried (and shown),
// a bad path is not.
function toAdapterError(error: unknown, what: string, root: string): AdapterError {
  return fsFailure(`disk storage (${root}): ${what}`, error);
}

async function writeAtomically(target: string, data: Buffer | string): Promise<void> {
  // Hidden temp name in the same directory: rename is atomic there and the media server never serves dotfiles.
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, data, { flush: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

export function createDiskStorage(config: DiskStorageConfig): ImageStorage {
  const { dir, baseUrl } = DiskStorageConfigSchema.parse(config);
  const root = path.resolve(dir);
  const base = baseUrl.replace(/\/+$/, '');
  const urlFor = (key: string): string => `${base}/media/${urlPathForKey(key)}`;

  return {
    name: 'disk',
    urlFor,
    async put(key, bytes, contentType, metadata = {}): Promise<StoredObject> {
      const target = pathForKey(root, key);
      if (target === null)
        throw new AdapterError(`invalid storage key "${key}": ${keyProblem(key) ?? 'outside the storage dir'}`, 'bad_request');
      try {
        await mkdir(path.dirname(target), { recursive: true });
        // Keys are content-addressed: same key and same size means the same bytes are already there.
        const existing = await sizeOf(target);
        const metaFile = target + META_SUFFIX;
        if (existing === bytes.length && (await sizeOf(metaFile)) !== null) return { key, url: urlFor(key) };
        const meta: StoredMeta = { contentType, size: bytes.length, metadata, storedAt: Date.now() };
        // Sidecar first, so once the object is visible its content type is known.
        await writeAtomically(metaFile, JSON.stringify(meta));
        if (existing !== bytes.length) await writeAtomically(target, bytes);
      } catch (error) {
        throw toAdapterError(error, `writing ${key}`, root);
      }
      return { key, url: urlFor(key) };
    },
    async get(key): Promise<Buffer> {
      const target = pathForKey(root, key);
      if (target === null)
        throw new AdapterError(`invalid storage key "${key}": ${keyProblem(key) ?? 'outside the storage dir'}`, 'bad_request');
      try {
        return await readFile(target);
      } catch (error) {
        if (errorCode(error) === 'ENOENT')
          throw new AdapterError(`disk storage (${root}) has no file for ${key}`, 'bad_request', { cause: error });
        throw toAdapterError(error, `reading ${key}`, root);
      }
    },
    async check(): Promise<void> {
      try {
        await mkdir(root, { recursive: true });
        const probe = path.join(root, `.probe-${randomUUID()}`);
        await writeFile(probe, 'ok');
        await rm(probe, { force: true });
      } catch (error) {
        throw toAdapterError(error, 'write probe', root);
      }
    },
  };
}
