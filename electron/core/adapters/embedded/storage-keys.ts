// Object keys name files on disk and paths in URLs, so they are held to a strict shape:
// relative, '/'-separated, no '.'/'..' or hidden segments, no sidecar names. Shared by the
// disk storage (which refuses bad keys) and the media server (which 404s them).
import path from 'node:path';

const SEGMENT = /^[A-Za-z0-9_~@=+-][A-Za-z0-9._~@=+-]*$/;
export const META_SUFFIX = '.meta.json';
const MAX_KEY_LENGTH = 512;

/** Why a key is unusable, or null when it is fine. */
export function keyProblem(key: string): string | null {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return `key must be 1–${MAX_KEY_LENGTH} characters`;
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return 'key must be relative';
  const segments = key.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return 'key must not contain . or .. segments';
  if (!segments.every((s) => SEGMENT.test(s))) return 'key segments may use letters, digits and . _ ~ @ = + - (no leading dot)';
  if (key.endsWith(META_SUFFIX)) return `key must not end with ${META_SUFFIX}`;
  return null;
}

/** Absolute file path for a key; null when the key is unusable or would escape `dir`. */
export function pathForKey(dir: string, key: string): string | null {
  if (keyProblem(key) !== null) return null;
  const root = path.resolve(dir);
  const target = path.resolve(root, ...key.split('/'));
  return target.startsWith(root + path.sep) ? target : null;
}

/** URL path for a key: each segment percent-encoded (a no-op for the usual keys). */
export function urlPathForKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export function contentTypeForKey(key: string): string {
  return TYPES_BY_EXTENSION[path.extname(key).toLowerCase()] ?? 'application/octet-stream';
}
