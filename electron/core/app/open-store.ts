// Opens the store the config names: the SQLite file in the data folder, or the PostgreSQL schema
// whose URL is in the secret store. Every process that works on a desk's data opens it here.
import { join } from 'node:path';
import type { SecretStore } from '../adapters/types.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { envName } from '../adapters/secrets.ts';
import { PostgresDb } from '../store/postgres/sync-db.ts';
import { Store } from '../store/store.ts';

export const SQLITE_FILE = 'hero-desk.db';

export class StoreConfigError extends Error {
  override name = 'StoreConfigError';
}

export function openStore(config: Pick<HeroDeskConfig, 'store'>, dataDir: string, secrets: SecretStore): Store {
  const spec = config.store;
  if (spec.type === 'sqlite') return new Store(join(dataDir, SQLITE_FILE));
  const url = secrets.get(spec.urlSecret);
  if (!url) {
    throw new StoreConfigError(
      `store: PostgreSQL needs its URL in the secret "${spec.urlSecret}": set ${envName(spec.urlSecret)}=postgres://user:password@host/db (or save the key from the board)`,
    );
  }
  return new Store(new PostgresDb({ url, schema: spec.schema }));
}

/** Where the store lives, for a start-up line: never the URL (it holds a password). */
export function describeStore(config: Pick<HeroDeskConfig, 'store'>, dataDir: string): string {
  return config.store.type === 'sqlite' ? join(dataDir, SQLITE_FILE) : `PostgreSQL, schema ${config.store.schema}`;
}
