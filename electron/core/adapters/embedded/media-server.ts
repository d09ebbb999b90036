// Serves the disk storage's objects over HTTP for the board and for readers' pages.
// Objects are immutable (content-addressed keys), hence the year-long immutable Cache-Control.
// Connections are capped (net/connection-guard.ts) so a crowd of slow readers cannot take the
// process's file descriptors.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { defaultPerAddress, guardConnections } from '../../net/connection-guard.ts';
import { connectionBudget, httpServerOptions, SOCKET_IDLE_TIMEOUT_MS } from '../../net/limits.ts';
import { listenOn, type PortChoice } from '../../net/listen.ts';
import type { StoredMeta } from './disk-storage.ts';
import { META_SUFFIX, contentTypeForKey, pathForKey } from './storage-keys.ts';

export const MediaServerConfigSchema = z.object({
  dir: z.string().min(1),
  host: z.string().default('127.0.0.1'),
  /** 0 = any free port; `portChoice` (a fixed default with fallback) wins. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Connections held at once; default: the media server's share of the open-file budget. */
  maxConnections: z.number().int().min(1).optional(),
});
export type MediaServerConfig = z.input<typeof MediaServerConfigSchema> & { portChoice?: PortChoice; warn?: (message: string) => void };

export interface MediaServer {
  baseUrl: string;
  port: number;
  stop(): Promise<void>;
}

const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
} as const;

function sendStatus(res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(status === 204 ? undefined : `${status}\n`);
}

/** The key from /media/<key>, percent-decoded per segment; null when malformed. */
function keyFromUrl(rawUrl: string): string | null {
  const pathname = rawUrl.split('?')[0] ?? '';
  if (!pathname.startsWith('/media/')) return null;
  try {
    return pathname.slice('/media/'.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return null; // bad percent-encoding
  }
}

async function contentTypeOf(file: string, key: string): Promise<string> {
  try {
    const meta = JSON.parse(await readFile(file + META_SUFFIX, 'utf8')) as Partial<StoredMeta>;
    if (typeof meta.contentType === 'string' && /^[\w.+-]+\/[\w.+-]+/.test(meta.contentType)) return meta.contentType;
  } catch {
    // no sidecar (file placed by hand): fall back to the extension
  }
  return contentTypeForKey(key);
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') return sendStatus(res, 204, { 'Access-Control-Allow-Methods': 'GET, HEAD' });
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, 405, { Allow: 'GET, HEAD, OPTIONS' });
  const key = keyFromUrl(req.url ?? '/');
  const file = key === null ? null : pathForKey(root, key);
  if (key === null || file === null) return sendStatus(res, 404);

  let info;
  try {
    info = await stat(file);
    // Symlinks inside the dir must not lead outside it.
    if (!info.isFile() || !(await realpath(file)).startsWith(root + path.sep)) return sendStatus(res, 404);
  } catch {
    return sendStatus(res, 404);
  }
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    ...COMMON_HEADERS,
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
  };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': await contentTypeOf(file, key), 'Content-Length': String(info.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res);
}

export async function startMediaServer(config: MediaServerConfig): Promise<MediaServer> {
  const { dir, host, port, maxConnections = connectionBudget('media') } = MediaServerConfigSchema.parse(config);
  // Real path, so the symlink check compares like with like (e.g. /tmp → /private/tmp on macOS).
  await mkdir(dir, { recursive: true });
  const root = await realpath(path.resolve(dir));
  const server = createServer(httpServerOptions(), (req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) sendStatus(res, 500);
      else res.destroy();
    });
  });
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  guardConnections(server, { maxConnections, maxPerAddress: defaultPerAddress(maxConnections) });
  const choice = config.portChoice ?? { port, explicit: true, setting: 'port', flag: '--media-port' };
  const bound = await listenOn(server, host, 'media server', choice, config.warn ?? (() => {}));
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${hostForUrl}:${bound}`,
    port: bound,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
