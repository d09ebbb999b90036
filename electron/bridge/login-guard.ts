// Who is asking: the desk's own token (the operator, an admin) or a personal account token, checked
// by the core's verifier. Failed attempts are logged (the address and the account the token claims,
// never the token) and limited per address: past MAX_FAILURES in a window, that address is refused
// (429) until the window ends, so a token cannot be guessed by brute force. The counts live in
// memory on purpose: a restart forgetting them costs an attacker nothing they could use.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { OPERATOR } from '../../shared/roles.ts';
import { claimedAccountId, type AccountVerifier, type DeskActor } from '../core/accounts/accounts.ts';
import { tokenMatches } from './guards.ts';

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;

export type LoginResult = { ok: true; actor: DeskActor } | { ok: false; status: 401 | 429; retryAfterSeconds?: number };

export interface LoginGuard {
  check(token: string | null | undefined, address: string): Promise<LoginResult>;
}

export function createLoginGuard(options: {
  deskToken: string;
  accounts?: AccountVerifier;
  logger: Logger;
  now?: () => number;
}): LoginGuard {
  const now = options.now ?? Date.now;
  const failures = new Map<string, { count: number; since: number }>();
  const blockedFor = (address: string): number => {
    const entry = failures.get(address);
    if (!entry) return 0;
    const left = entry.since + FAILURE_WINDOW_MS - now();
    if (left <= 0) {
      failures.delete(address);
      return 0;
    }
    return entry.count >= MAX_FAILURES ? left : 0;
  };
  return {
    async check(token, address) {
      const wait = blockedFor(address);
      if (wait > 0) return { ok: false, status: 429, retryAfterSeconds: Math.ceil(wait / 1000) };
      if (token && tokenMatches(options.deskToken, token)) return { ok: true, actor: OPERATOR };
      const actor = token && options.accounts ? await options.accounts.verify(token) : null;
      if (actor) return { ok: true, actor };
      const entry = failures.get(address) ?? { count: 0, since: now() };
      entry.count += 1;
      failures.set(address, entry);
      options.logger.warn(
        { address, claimedAccount: token ? claimedAccountId(token) : null, failures: entry.count },
        token ? 'failed login: wrong or revoked token' : 'failed login: no token',
      );
      return { ok: false, status: 401 };
    },
  };
}

/** The client's address: the socket's peer, or behind our own proxy the address it forwarded (rightmost X-Forwarded-For). */
export function clientAddress(request: Pick<IncomingMessage, 'headers' | 'socket'>, behindProxy: boolean): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (!behindProxy) return peer;
  const forwarded = request.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .pop();
  return last ?? peer;
}
