// Small facts about this installation that must outlive a run (the `meta` table).
import type { Store } from './store.ts';

export function getMeta(store: Store, key: string): string | null {
  return store.db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value ?? null;
}

export function setMeta(store: Store, key: string, value: string): void {
  store.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
}
