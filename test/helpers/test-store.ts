// The store a test opens: SQLite at `path` by default; with HERO_DESK_TEST_STORE=postgres (and
// HERO_DESK_TEST_PG_URL, scripts/postgres-test.sh) the same test runs on PostgreSQL, in a schema named
// after the path, so reopening the path (a restart) reopens the same data.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../../electron/core/adapters/types.ts';
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

const DB_FILE = 'hero-desk.db';

/** The config's `store` for a desk on `dataDir`: none on SQLite; on PostgreSQL the schema testStore(<dataDir>/hero-desk.db) opens. */
export function storeConfigFor(dataDir: string): { store?: { type: 'postgres'; schema: string } } {
  return TEST_STORE === 'sqlite' ? {} : { store: { type: 'postgres', schema: schemaFor(join(dataDir, DB_FILE)) } };
}

/** Writes a config holding only `store` (a desk started on embedded defaults), when the tests run on PostgreSQL. */
export function writeStoreConfig(dataDir: string): void {
  if (TEST_STORE === 'postgres') writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify(storeConfigFor(dataDir)));
}

/** `secrets` that also answer the PostgreSQL URL, when the tests run there. */
export function withStoreSecret(secrets: SecretStore): SecretStore {
  if (TEST_STORE === 'sqlite') return secrets;
  return { get: (name) => (name === 'postgresUrl' ? process.env.HERO_DESK_TEST_PG_URL : secrets.get(name)) };
}

/** What a child `hero-desk` process needs in its environment to reach the tests' PostgreSQL. */
export function storeEnv(): Record<string, string> {
  return TEST_STORE === 'sqlite' ? {} : { HERO_DESK_SECRET_POSTGRESURL: process.env.HERO_DESK_TEST_PG_URL ?? '' };
}

/** The store a test reads a desk's data from (its data directory's file, or the matching schema). */
export function deskStore(dataDir: string): Store {
  return testStore(join(dataDir, DB_FILE));
}
