// Which keys a config names, worked out from the file alone (defaults included), without building
// an adapter. The desktop's main process uses it as the allow-list for the core process's key
// requests: the core gets exactly the keys its config uses and nothing else from the keychain.
import type { z } from 'zod';
import { collectSecretNames, ENTRY_SCHEMAS, PROVIDER_LIMIT_KEYS } from '../adapters/registry.ts';
import type { AdapterEntry, HeroDeskConfig } from '../config/schema.ts';

type EntryKind = keyof typeof ENTRY_SCHEMAS;

/** The bundled relay reads this one by name (app/adapters.ts); it is not in any entry's options. */
const RELAY_PUBLISH_SECRET = 'relay-publish';

export function configSecretNames(config: HeroDeskConfig): string[] {
  const names = new Set<string>();
  const collect = (kind: EntryKind, entry: AdapterEntry | null, dropKeys: readonly string[] = []) => {
    if (entry === null) return;
    const schemas: Record<string, z.ZodType> = ENTRY_SCHEMAS[kind];
    const schema = Object.hasOwn(schemas, entry.type) ? schemas[entry.type] : undefined;
    if (schema === undefined) return;
    const options: Record<string, unknown> = { ...entry };
    for (const key of ['type', ...dropKeys]) delete options[key];
    const parsed = schema.safeParse(options);
    if (!parsed.success) return;
    // the AITable webhook's secret is read only when the webhook is on (as app/adapters.ts does)
    const data = parsed.data as { webhook?: { enabled?: boolean } };
    collectSecretNames(data.webhook?.enabled === false ? { ...data, webhook: null } : data, names);
  };
  for (const entry of Object.values(config.providers)) collect('provider', entry, PROVIDER_LIMIT_KEYS);
  for (const entry of config.scorers) collect('scorer', entry);
  collect('source', config.source);
  collect('storage', config.storage);
  collect('publisher', config.publisher);
  collect('prompt writer', config.promptWriter);
  if (config.publisher.type === 'relay') names.add(RELAY_PUBLISH_SECRET);
  return [...names].sort();
}
