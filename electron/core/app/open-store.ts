// Opens the store the config names: the SQLite file in the data folder, or the PostgreSQL schema
// whose URL is in the secret store. Every process that works on a desk's data opens it here.
import { join } from 'node:path';
import type { SecretStore } from '../adapters/types.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { envName } from '../adapters/secrets.ts';
import { errorMessage } from '../base/failures.ts';
import { ConfigError } from '../config/errors.ts';
import { PostgresDb } from '../store/postgres/sync-db.ts';
import { Store } from '../store/store.ts';

export const SQLITE_FILE = 'hero-desk.db';

export function openStore(config: Pick<HeroDeskConfig, 'store'>, dataDir: string, secrets: SecretStore): Store {
  const spec = config.store;
  if (spec.type === 'sqlite') return new Store(join(dataDir, SQLITE_FILE));
  const url = secrets.get(spec.urlSecret);
  if (!url) {
    throw new ConfigError(
      `store: PostgreSQL needs its URL in the secret "${spec.urlSecret}": set ${envName(spec.urlSecret)}=postgres://user:password@host/db, or "${spec.urlSecret}" in ${join(dataDir, 'secrets.json')}`,
    );
  }
  try {
    return new Store(new PostgresDb({ url, schema: spec.schema }));
  } catch (error) {
    // at start-up nothing retries: say what failed and where to look (pg's messages never hold the password)
    throw new ConfigError(
      `store: cannot open PostgreSQL schema ${spec.schema}: ${errorMessage(error)}; check the server, the URL in ${envName(spec.urlSecret)} and the network (hero-desk check probes it)`,
    );
  }
}

/** Where the store lives, for a start-up line: never the URL (it holds a password). */
export function describeStore(config: Pick<HeroDeskConfig, 'store'>, dataDir: string): string {
  return config.store.type === 'sqlite' ? join(dataDir, SQLITE_FILE) : `PostgreSQL, schema ${config.store.schema}`;
}
