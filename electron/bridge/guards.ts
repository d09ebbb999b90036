// Checks the bridge applies to every request. Even on loopback any web page the editor has open
// can reach the bridge, so each request must prove it comes from
// the board: a secret token (Bearer header or WebSocket query), a Host we answer to (DNS-rebinding
// guard: loopback or the configured public origin) and, for WebSockets, a same-origin Origin.
import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/base/failures.ts';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time, length-blind comparison (the one in failures.ts). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  return constantTimeEqual(given, expected);
}

export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * The names a browser may use for this bridge: loopback on the bound port (either scheme) and the
 * configured public origin (a TLS desk's name, or the reverse proxy's address).
 */
export interface AllowedNames {
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
}

export function allowedNames(port: number, publicOrigin: string | null = null, appOrigins: readonly string[] = []): AllowedNames {
  const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const hosts = new Set(loopback);
  const origins = new Set(loopback.flatMap((host) => [`http://${host}`, `https://${host}`]));
  if (publicOrigin !== null) {
    hosts.add(new URL(publicOrigin).host);
    origins.add(publicOrigin);
  }
  // the desktop app's board (app://board) connected to this desk: its sockets carry that Origin
  for (const origin of appOrigins) origins.add(origin.toLowerCase());
  return { hosts, origins };
}

/** The Host header a browser sends when it really talks to us, rather than to a rebound name. */
export function isAllowedHost(host: string | null | undefined, names: AllowedNames): boolean {
  return typeof host === 'string' && names.hosts.has(host.toLowerCase());
}

/** Browsers always send Origin on a WebSocket handshake; non-browser clients (tests, CLI) may omit it. */
export function isAllowedOrigin(origin: string | null | undefined, names: AllowedNames): boolean {
  if (origin === undefined || origin === null) return true;
  return names.origins.has(origin.toLowerCase());
}

/**
 * Cross-origin calls are answered for the desktop app's board only (shared/desktop.ts,
 * DESKTOP_APP_ORIGIN): its page is app://board, the desk another origin. The token still decides;
 * this only lets that one page read the answers. null: no CORS headers (a browser page elsewhere).
 */
export function corsHeaders(origin: string | null | undefined, appOrigins: readonly string[]): Record<string, string> | null {
  if (!origin || !appOrigins.includes(origin.toLowerCase())) return null;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Allow-Headers': 'authorization, content-type',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
