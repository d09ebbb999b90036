// How many connections our servers may hold, budgeted from the process's open-file limit, and the
// HTTP timeouts every server uses. Readers, idle sockets and slow clients can then never take all
// file descriptors: the board, SQLite, image files and outgoing calls keep a reserve of their own.
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';

/** Used where the limit cannot be read (not Linux): a common soft limit. */
const FALLBACK_OPEN_FILES = 1024;

let cachedLimit: number | null = null;

/** The soft RLIMIT_NOFILE of this process (Node raises it to the hard limit at start-up). */
export function openFileLimit(): number {
  cachedLimit ??= readOpenFileLimit();
  return cachedLimit;
}

export function readOpenFileLimit(limitsText?: string): number {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return FALLBACK_OPEN_FILES;
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!match) return FALLBACK_OPEN_FILES;
  return match[1] === 'unlimited' ? 1_048_576 : Number(match[1]);
}

/** The servers of one Hero Desk process and their share of the connection budget. */
export type ServerRole = 'relay' | 'media' | 'board' | 'webhook';
const SHARES: Record<ServerRole, number> = { relay: 0.6, media: 0.15, board: 0.15, webhook: 0.1 };

/**
 * File descriptors kept for everything that is not an inbound connection: SQLite files, images
 * being read and written, outgoing HTTP calls, stdio, the event loop's own.
 */
export function reservedDescriptors(limit: number): number {
  return Math.min(2048, Math.max(128, Math.floor(limit / 4)));
}

/**
 * Connections a server may hold. Without a role: the whole budget (a process that runs only this
 * server, like `hero-desk relay`); with one: that server's share inside Hero Desk.
 */
export function connectionBudget(role?: ServerRole, limit = openFileLimit()): number {
  const budget = Math.max(32, limit - reservedDescriptors(limit));
  return role === undefined ? budget : Math.max(8, Math.floor(budget * SHARES[role]));
}

export interface HttpTimeouts {
  /** From connecting (or the previous response) to the end of the request headers. */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

/** A socket with no traffic at all for this long is closed (a stalled download, a dead peer). */
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;

/** node:http options for a server we run: bounded headers and timeouts checked every second. */
export function httpServerOptions(timeouts: Partial<HttpTimeouts> = {}): ServerOptions {
  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
  return {
    headersTimeout: t.headersTimeoutMs,
    requestTimeout: t.requestTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s: far too lax for a flood)
    connectionsCheckingInterval: Math.min(1000, t.headersTimeoutMs),
    maxHeaderSize: 16 * 1024,
  };
}
