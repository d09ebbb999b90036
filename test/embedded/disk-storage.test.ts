import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import { createDiskStorage } from '../../electron/core/adapters/embedded/disk-storage.ts';
import { startMediaServer } from '../../electron/core/adapters/embedded/media-server.ts';
import type { MediaServer } from '../../electron/core/adapters/embedded/media-server.ts';
import { stringContaining } from '../helpers/matchers.ts';

let dir: string;
let server: MediaServer;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hd-disk-'));
  server = await startMediaServer({ dir });
});

afterEach(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Raw GET/HEAD so paths like /media/../x reach the server unnormalized. */
function raw(
  method: string,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const png = Buffer.from('89504e470d0a1a0a' + 'ab'.repeat(100), 'hex');

describe('disk storage', () => {
  it('writes the object and a metadata sidecar, and returns its media URL', async () => {
    const storage = createDiskStorage({ dir, baseUrl: server.baseUrl });
    const stored = await storage.put('articles/rec1/abc123.png', png, 'image/png', { articleId: 'rec1' });
    expect(storage.name).toBe('disk');
    expect(stored).toEqual({ key: 'articles/rec1/abc123.png', url: `${server.baseUrl}/media/articles/rec1/abc123.png` });
    expect(storage.urlFor('x/y.png')).toBe(`${server.baseUrl}/media/x/y.png`);
    expect((await readFile(path.join(dir, 'articles/rec1/abc123.png'))).equals(png)).toBe(true);
    const meta = JSON.parse(await readFile(path.join(dir, 'articles/rec1/abc123.png.meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ contentType: 'image/png', size: png.length, metadata: { articleId: 'rec1' } });
    expect((await readdir(path.join(dir, 'articles/rec1'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads an object back by key, and says which key is missing', async () => {
    const storage = createDiskStorage({ dir, baseUrl: server.baseUrl });
    await storage.put('originals/one.png', png, 'image/png');
    expect((await storage.get('originals/one.png')).equals(png)).toBe(true);
    await expect(storage.get('originals/none.png')).rejects.toMatchObject({
      kind: 'bad_request',
      message: stringContaining('originals/none.png'),
    });
    await expect(storage.get('../outside.png')).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('is idempotent: a repeat put does not rewrite the file', async () => {
    const storage = createDiskStorage({ dir, baseUrl: server.baseUrl });
    await storage.put('k/one.png', png, 'image/png');
    const first = await stat(path.join(dir, 'k/one.png'));
    await new Promise((r) => setTimeout(r, 20));
    const again = await storage.put('k/one.png', png, 'image/png');
    const second = await stat(path.join(dir, 'k/one.png'));
    expect(again.key).toBe('k/one.png');
    expect(second.mtimeMs).toBe(first.mtimeMs);
    expect(second.ino).toBe(first.ino);
  });

  it('rejects traversal, absolute and hidden keys as bad requests', async () => {
    const storage = createDiskStorage({ dir, baseUrl: server.baseUrl });
    for (const key of [
      '../escape.png',
      'a/../../escape.png',
      '/etc/passwd',
      'C:/x.png',
      '.hidden.png',
      'a//b.png',
      'a\\b.png',
      'x.png.meta.json',
      '',
    ]) {
      const error = await storage.put(key, png, 'image/png').catch((e: unknown) => e);
      expect(error, key).toBeInstanceOf(AdapterError);
      expect((error as AdapterError).kind).toBe('bad_request');
    }
    expect(await readdir(path.dirname(dir))).not.toContain('escape.png');
  });

  it('check() proves the directory is writable and leaves nothing behind', async () => {
    const storage = createDiskStorage({ dir: path.join(dir, 'fresh'), baseUrl: server.baseUrl });
    await storage.check?.();
    expect(await readdir(path.join(dir, 'fresh'))).toEqual([]);
  });
});

describe('media server', () => {
  it('serves objects with content type, immutable caching, ETag and CORS', async () => {
    const storage = createDiskStorage({ dir, baseUrl: server.baseUrl });
    const { url } = await storage.put('img/hero.webp', png, 'image/webp');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-length')).toBe(String(png.length));
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);

    const head = await raw('HEAD', '/media/img/hero.webp');
    expect([head.status, head.body.length, head.headers['content-type']]).toEqual([200, 0, 'image/webp']);
    const conditional = await raw('GET', '/media/img/hero.webp', { 'If-None-Match': etag ?? '' });
    expect(conditional.status).toBe(304);
  });

  it('falls back to the extension when there is no sidecar', async () => {
    await writeFile(path.join(dir, 'dropped.png'), png);
    const response = await raw('GET', '/media/dropped.png');
    expect([response.status, response.headers['content-type']]).toEqual([200, 'image/png']);
  });

  it('answers 404 for missing objects, other paths, sidecars, temp files and traversal', async () => {
    await writeFile(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'secret');
    await writeFile(path.join(dir, '.x.png.123.tmp'), 'partial');
    await writeFile(path.join(dir, 'a.png.meta.json'), '{}');
    await symlink('/etc/hostname', path.join(dir, 'link.png'));
    const paths = [
      '/media/missing.png',
      '/other',
      '/media/a.png.meta.json',
      '/media/.x.png.123.tmp',
      `/media/../${path.basename(dir)}-secret.txt`,
      `/media/%2e%2e/${path.basename(dir)}-secret.txt`,
      '/media/..%2f..%2fetc%2fpasswd',
      '/media/%E0%A4%A',
      '/media/link.png',
      '/media/',
    ];
    for (const p of paths) expect((await raw('GET', p)).status, p).toBe(404);
    await rm(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`));
    expect((await raw('POST', '/media/missing.png')).status).toBe(405);
  });
});
