// The newsroom desk's accounts table (issue 13): rows hold only a salted scrypt hash of each token.
import type { Store } from './store.ts';

export interface UserRow {
  id: string;
  name: string;
  role: string;
  salt: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export function insertUser(
  store: Store,
  user: { id: string; name: string; role: string; salt: string; tokenHash: string; createdAt: number },
): void {
  store.db.run(
    'INSERT INTO users (id, name, role, salt, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    user.id,
    user.name,
    user.role,
    user.salt,
    user.tokenHash,
    user.createdAt,
  );
}

export function listUserRows(store: Store, options: { includeRevoked?: boolean } = {}): UserRow[] {
  const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
  return store.db.all<UserRow>(`SELECT * FROM users ${where} ORDER BY name, created_at`);
}

export function activeUserCount(store: Store): number {
  return Number(store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE revoked_at IS NULL')?.n ?? 0);
}

export function activeUserNamed(store: Store, name: string): UserRow | undefined {
  return store.db.get<UserRow>('SELECT * FROM users WHERE name = ? AND revoked_at IS NULL', name);
}

export function activeUserWithId(store: Store, id: string): UserRow | undefined {
  return store.db.get<UserRow>('SELECT * FROM users WHERE id = ? AND revoked_at IS NULL', id);
}

export function markUserRevoked(store: Store, id: string, at: number): void {
  store.db.run('UPDATE users SET revoked_at = ? WHERE id = ?', at, id);
}
