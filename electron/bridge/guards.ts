// Checks the local bridge applies to every request. The bridge only listens on loopback, but any
// web page the editor has open can still reach loopback, so each request must prove it comes from
// the board: a secret token (Bearer header or WebSocket query), a loopback Host (DNS-rebinding
// guard) and, for WebSockets, a same-origin Origin.
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

/** The Host header a browser sends when it really talks to us, rather than to a rebound name. */
export function isLoopbackHost(host: string | null | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers always send Origin on a WebSocket handshake; non-browser clients (tests, CLI) may omit it. */
export function isAllowedOrigin(origin: string | null | undefined, port: number): boolean {
  if (origin === undefined || origin === null) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** Policy for the served board; the same sources as the <meta> CSP in renderer/index.html. */
export const BOARD_CSP = [
  "default-src 'self'",
  "img-src 'self' data: http://127.0.0.1:* http://localhost:* https:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "script-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
