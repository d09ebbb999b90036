// Before a desk (or a --once run) starts its pipeline on an AITable datasheet with `source.claim`
// set: claim it, or refuse because another desk runs it (core/desk/datasheet-claim.ts).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../core/adapters/types.ts';
import { AitableConfigSchema } from '../core/adapters/aitable/config.ts';
import { createAitableClient } from '../core/adapters/aitable/client.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import { aitableClaimCell, claimDatasheet, type DatasheetLease } from '../core/desk/datasheet-claim.ts';
import type { Logger } from '../core/base/log.ts';
import { getMeta, setMeta } from '../core/store/meta.ts';
import { openStore } from '../core/app/open-store.ts';
import type { HeroDeskConfig } from '../core/config/schema.ts';

/** This desk's id, kept in its database: a restarted desk takes its own claim back at once. */
function deskIdOf(dataDir: string, config: HeroDeskConfig, secrets: SecretStore): string {
  const store = openStore(config, dataDir, secrets);
  try {
    const known = getMeta(store, 'desk_id');
    if (known) return known;
    const id = randomBytes(8).toString('hex');
    store.transaction(() => setMeta(store, 'desk_id', id));
    return id;
  } finally {
    store.close();
  }
}

export async function claimIfConfigured(options: {
  dataDir: string;
  configPath: string;
  configExplicit: boolean;
  secrets: SecretStore;
  logger: Logger;
  url: string | null;
  settleMs?: number;
}): Promise<DatasheetLease | null> {
  const config = loadConfig(options.configPath, options.configExplicit);
  const { type, ...sourceOptions } = config.source;
  if (type !== 'aitable') return null;
  const parsed = AitableConfigSchema.safeParse(sourceOptions);
  // an invalid source is reported by the core, with every line, when it starts
  if (!parsed.success || parsed.data.claim === null) return null;
  const source = parsed.data;
  const claim = source.claim!;
  const client = createAitableClient(
    {
      ...sourceOptions,
      baseUrl: claim.baseUrl ?? source.baseUrl,
      datasheetId: claim.datasheetId,
      viewId: undefined,
      retry: { retries: 2, minTimeoutMs: 200, maxTimeoutMs: 2000 },
    },
    { secrets: options.secrets, logger: options.logger },
  );
  const lease = await claimDatasheet({
    cell: aitableClaimCell(client, claim.field),
    deskId: deskIdOf(options.dataDir, config, options.secrets),
    desk: claim.deskName ?? `${hostname()} (${options.dataDir})`,
    url: options.url,
    ttlMs: claim.ttlSeconds * 1000,
    settleMs: options.settleMs,
    datasheet: source.datasheetId,
  });
  options.logger.info({ datasheet: source.datasheetId, claim: claim.datasheetId }, 'claimed the datasheet: this desk runs its pipeline');
  return lease;
}
