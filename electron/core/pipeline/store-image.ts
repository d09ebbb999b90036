// Puts a generated image and its board thumbnail in storage under content-addressed keys:
// the same bytes always land on the same key, so a retried job never makes a second object.
import { webcrypto } from 'node:crypto';
import sharp from 'sharp';
import { decodeAndKeep, rawInput, REVIEW_WIDTH } from '../imaging/decoded.ts';
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
  // upright, as the variants will be (an editor's camera photo may carry an EXIF rotation); the
  // thumbnail is the decode check's review sample encoded (already 480 px wide, or narrower and
  // enlarged here as before), decoded now when nothing checked these bytes (decodeAndKeep remembers)
  const { width, height, sample } = await decodeAndKeep(bytes);
  const thumb = await sharp(sample.data, rawInput(sample)).resize({ width: REVIEW_WIDTH }).webp({ quality: 78 }).toBuffer();
  const thumbKey = `thumbs/${contentHash.slice(0, 32)}.webp`;
  const [original, thumbnail] = await Promise.all([storage.put(key, bytes, contentType), storage.put(thumbKey, thumb, 'image/webp')]);
  return {
    contentHash,
    key: original.key,
    thumbKey: thumbnail.key,
    width,
    height,
    bytes: bytes.length,
    contentType,
  };
}
