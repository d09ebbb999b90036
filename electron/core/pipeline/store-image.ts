// Puts a generated image and its board thumbnail in storage under content-addressed keys:
// the same bytes always land on the same key, so a retried job never makes a second object.
import { webcrypto } from 'node:crypto';
import sharp from 'sharp';
import { keptPixels, rawInput } from '../imaging/decoded.ts';
import type { ImageStorage } from '../adapters/types.ts';

export interface StoredImage {
  contentHash: string;
  key: string;
  thumbKey: string;
  width: number;
  height: number;
  bytes: number;
  contentType: string;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/avif': 'avif' };

export async function storeImage(storage: ImageStorage, bytes: Buffer, contentType: string): Promise<StoredImage> {
  // WebCrypto hashes on the thread pool: a few MB hashed inline would hold the event loop for tens of ms
  const contentHash = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
  const key = `originals/${contentHash.slice(0, 32)}.${EXTENSIONS[contentType] ?? 'bin'}`;
  // upright, as the variants will be (an editor's camera photo may carry an EXIF rotation);
  // from the pixels the decode check kept when there are some, else from the file
  const kept = await keptPixels(bytes);
  const size = kept ?? (await uprightSize(bytes));
  const thumb = await (kept ? sharp(kept.data, rawInput(kept)) : sharp(bytes, { autoOrient: true }))
    .resize({ width: 480 })
    .webp({ quality: 78 })
    .toBuffer();
  const thumbKey = `thumbs/${contentHash.slice(0, 32)}.webp`;
  const [original, thumbnail] = await Promise.all([storage.put(key, bytes, contentType), storage.put(thumbKey, thumb, 'image/webp')]);
  return {
    contentHash,
    key: original.key,
    thumbKey: thumbnail.key,
    width: size.width,
    height: size.height,
    bytes: bytes.length,
    contentType,
  };
}

async function uprightSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const metadata = await sharp(bytes).metadata();
  return { width: metadata.autoOrient?.width ?? metadata.width ?? 0, height: metadata.autoOrient?.height ?? metadata.height ?? 0 };
}
