// The store a test opens: SQLite at `path` by default; with HERO_DESK_TEST_STORE=postgres (and
// HERO_DESK_TEST_PG_URL, scripts/postgres-test.sh) the same test runs on PostgreSQL, in a schema named
// after the path, so reopening the path (a restart) reopens the same data.
import { createHash } from 'node:crypto';
import { Store } from '../../electron/core/store/store.ts';
import { PostgresDb } from '../../electron/core/store/postgres/sync-db.ts';

export const TEST_STORE: 'sqlite' | 'postgres' = process.env.HERO_DESK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export function testStore(path: string, now?: () => number): Store {
  if (TEST_STORE === 'sqlite') return new Store(path, now);
  const url = process.env.HERO_DESK_TEST_PG_URL;
  if (!url) throw new Error('HERO_DESK_TEST_STORE=postgres needs HERO_DESK_TEST_PG_URL: run the tests under scripts/postgres-test.sh');
  return new Store(new PostgresDb({ url, schema: schemaFor(path) }), now);
}

/** The PostgreSQL schema a test's path stands for. */
export function schemaFor(path: string): string {
  return `hd_t_${createHash('sha256').update(path).digest('hex').slice(0, 20)}`;
}
