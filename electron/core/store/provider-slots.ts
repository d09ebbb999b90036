// The rows behind per-provider limits shared by every process on the file (app/provider-limits.ts):
// a slot per call under way, a row per call started in the rate window. Callers hold a transaction.
import type { Store } from './store.ts';

export interface ProviderSlot {
  id: number;
  owner: string;
  expires_at: number;
}

export function providerSlots(store: Store, provider: string): ProviderSlot[] {
  return store.db.all<ProviderSlot>('SELECT id, owner, expires_at FROM provider_slots WHERE provider = ?', provider);
}

export function dropProviderSlot(store: Store, id: number): void {
  store.db.run('DELETE FROM provider_slots WHERE id = ?', id);
}

export function takeProviderSlot(store: Store, provider: string, owner: string, expiresAt: number): number {
  return Number(
    store.db.get<{ id: number }>(
      'INSERT INTO provider_slots (provider, owner, expires_at) VALUES (?, ?, ?) RETURNING id',
      provider,
      owner,
      expiresAt,
    )!.id,
  );
}

/** Calls started since `since`, and the oldest of them; older rows are deleted. */
export function callsInWindow(store: Store, provider: string, since: number): { calls: number; oldest: number | null } {
  store.db.run('DELETE FROM provider_calls WHERE provider = ? AND started_at <= ?', provider, since);
  const row = store.db.get<{ calls: number; oldest: number | null }>(
    'SELECT COUNT(*) AS calls, MIN(started_at) AS oldest FROM provider_calls WHERE provider = ?',
    provider,
  );
  return { calls: Number(row?.calls ?? 0), oldest: row?.oldest ?? null };
}

export function recordProviderCall(store: Store, provider: string, at: number): void {
  store.db.run('INSERT INTO provider_calls (provider, started_at) VALUES (?, ?)', provider, at);
}
