// Where each source's incremental poll stands (an opaque cursor the source hands back).
import type { Store } from './store.ts';

export function sourceCursor(store: Store, source: string): string | null {
  return store.db.get<{ cursor: string | null }>('SELECT cursor FROM source_cursors WHERE source = ?', source)?.cursor ?? null;
}

export function saveSourceCursor(store: Store, source: string, cursor: string | null): void {
  store.db.run(
    'INSERT INTO source_cursors (source, cursor) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor',
    source,
    cursor,
  );
}
