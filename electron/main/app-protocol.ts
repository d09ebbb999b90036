// The board is served from app://board/ instead of file:// (checklist item 18): a privileged,
// standard, secure scheme whose handler only ever reads files inside out/renderer. With no page on
// file://, the GrantFileProtocolExtraPrivileges fuse is off (scripts/packaging/fuses.ts), so a
// file:// page could not read other local files even if one were somehow opened.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, posix, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'board';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered before `ready` (Electron's rule): standard + secure gives it an origin, 'self' in the CSP, fetch and ES modules. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The file a request names inside rendererDir, or null when it is not ours or tries to leave it. */
export function resolveAppFile(rendererDir: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  // backslashes and NULs never appear in our asset names; on Windows a backslash is a separator
  if (path.includes('\\') || path.includes('\0')) return null;
  // an encoded "..%2f" survives URL parsing as a ".." segment: refused outright, not clamped
  if (path.split('/').includes('..')) return null;
  const normalised = posix.normalize(path).replace(/^\/+/, '');
  const inside = normalised === '' || normalised === '.' ? 'index.html' : normalised;
  if (inside === '..' || inside.startsWith('../')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, inside);
  const fromRoot = relative(root, file);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The protocol handler's answer; the CSP travels with every response (no webRequest needed). */
export async function serveAppRequest(request: Pick<Request, 'url' | 'method'>, rendererDir: string, csp: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
  const file = resolveAppFile(rendererDir, request.url);
  if (file === null) return new Response('not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new Response('not found', { status: code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500 });
  }
  const headers = {
    'Content-Type': contentTypeFor(file),
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: (typeof APP_SCHEME_PRIVILEGES)[]): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** Before ready. */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** After ready, on the session the board uses. */
export function handleAppProtocol(protocol: ProtocolLike, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir, csp));
}
