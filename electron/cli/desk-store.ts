// The store of a desk's data, as the commands that read or write it beside the desk open it
// (users, audit, the datasheet claim): the SQLite file in the data directory, or the PostgreSQL
// schema the desk's config names, with the URL from the desk's secrets.
import { join, resolve } from 'node:path';
import { createHeadlessSecretStore } from '../core/adapters/secrets.ts';
import type { SecretStore } from '../core/adapters/types.ts';
import { openStore } from '../core/app/open-store.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import type { HeroDeskConfig } from '../core/config/schema.ts';
import type { Store } from '../core/store/store.ts';

export function deskConfig(dataDir: string, configPath?: string): HeroDeskConfig {
  const dir = resolve(dataDir);
  return loadConfig(configPath ? resolve(configPath) : join(dir, 'hero-desk.config.json'), configPath !== undefined);
}

export function openDeskStore(dataDir: string, configPath?: string, secrets?: SecretStore): Store {
  const dir = resolve(dataDir);
  return openStore(deskConfig(dir, configPath), dir, secrets ?? createHeadlessSecretStore(dir));
}
