// The newsroom desk's accounts (issue 13): one personal token per person, shown once and stored
// only as a salted scrypt hash. A token reads hd1.<id>.<secret>: the id finds the row without
// trying every hash; the secret is what is checked (in constant time).
import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { RoleSchema, type Actor, type Role } from '../../../shared/roles.ts';
import type { Store } from '../store/store.ts';
import {
  activeUserCount,
  activeUserNamed,
  activeUserWithId,
  insertUser,
  listUserRows,
  markUserRevoked,
  type UserRow,
} from '../store/users.ts';

const scryptAsync = promisify(scrypt) as (secret: string, salt: Buffer, length: number) => Promise<Buffer>;
const HASH_BYTES = 32;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._'-]{0,39}$/;
const TOKEN_PATTERN = /^hd1\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

/** An actor the bridge authenticated; `accountId` is absent for the desk's own operator. */
export interface DeskActor extends Actor {
  accountId?: string;
}

export interface Account {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

const toAccount = (row: UserRow): Account => ({
  id: row.id,
  name: row.name,
  role: RoleSchema.parse(row.role),
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export function parseRole(value: string): Role {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success) throw new AccountError(`--role must be viewer, editor or admin, not "${value}"`);
  return parsed.data;
}

/** Creates an account; the token in the answer is the only copy there will ever be. */
export async function addAccount(store: Store, name: string, role: Role): Promise<{ account: Account; token: string }> {
  const trimmed = name.trim();
  if (!NAME_PATTERN.test(trimmed))
    throw new AccountError(
      `"${name}" is not a usable name: 1-40 letters, digits, spaces, dots, dashes or apostrophes, starting with a letter or digit`,
    );
  if (activeRow(store, trimmed))
    throw new AccountError(`${trimmed} already has an account; revoke it first (hero-desk users revoke "${trimmed}") to issue a new token`);
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, HASH_BYTES);
  const now = store.now();
  store.transaction(() => {
    if (activeRow(store, trimmed)) throw new AccountError(`${trimmed} already has an account`);
    insertUser(store, { id, name: trimmed, role, salt: salt.toString('hex'), tokenHash: hash.toString('hex'), createdAt: now });
    store.logEvent('account_added', null, { name: trimmed, role });
  });
  return { account: { id, name: trimmed, role, createdAt: now, revokedAt: null }, token: `hd1.${id}.${secret}` };
}

export function listAccounts(store: Store, options: { includeRevoked?: boolean } = {}): Account[] {
  return listUserRows(store, options).map(toAccount);
}

export function activeAccountCount(store: Store): number {
  return activeUserCount(store);
}

/** Revokes the account's token at once (a running desk checks on every request). */
export function revokeAccount(store: Store, name: string): Account {
  return store.transaction(() => {
    const row = activeRow(store, name.trim());
    if (!row) throw new AccountError(`no active account named "${name}"; hero-desk users list shows them`);
    markUserRevoked(store, row.id, store.now());
    store.logEvent('account_revoked', null, { name: row.name, role: row.role });
    return { ...toAccount(row), revokedAt: store.now() };
  });
}

const activeRow = (store: Store, name: string): UserRow | undefined => activeUserNamed(store, name);

/** The account id a token claims (for logs: never the token itself); null when it is not an account token. */
export function claimedAccountId(token: string): string | null {
  return TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

/**
 * Checks account tokens. A verified token is remembered (by its SHA-256, never in clear) so scrypt
 * runs once per token, but revocation is read from the database on every check: it works at once,
 * even when `hero-desk users revoke` ran in another process.
 */
export interface AccountVerifier {
  verify(token: string): Promise<DeskActor | null>;
  /** False once the actor's account was revoked (open sockets are then closed). */
  isActive(actor: DeskActor): boolean;
}

export function createAccountVerifier(store: Store): AccountVerifier {
  const verified = new Map<string, string>();
  const activeById = (id: string) => activeUserWithId(store, id);
  return {
    async verify(token) {
      const match = TOKEN_PATTERN.exec(token);
      if (!match) return null;
      const [, id, secret] = match as unknown as [string, string, string];
      const digest = createHash('sha256').update(token).digest('hex');
      const row = activeById(id);
      if (!row) {
        verified.delete(digest);
        return null;
      }
      if (verified.get(digest) !== id) {
        const hash = await scryptAsync(secret, Buffer.from(row.salt, 'hex'), HASH_BYTES);
        if (!timingSafeEqual(hash, Buffer.from(row.token_hash, 'hex'))) return null;
        verified.set(digest, id);
      }
      return { name: row.name, role: RoleSchema.parse(row.role), accountId: id };
    },
    isActive(actor) {
      return actor.accountId === undefined || activeById(actor.accountId) !== undefined;
    },
  };
}
