// Which keys a config names, worked out from the file alone (defaults included), without building
// an adapter. The desktop's main process uses it as the allow-list for the core process's key
// requests: the core gets exactly the keys its config uses and nothing else from the keychain.
import { collectSecretNames, ENTRY_FACTORIES, PROVIDER_LIMIT_KEYS, type FactoryTable } from '../adapters/registry/index.ts';
import type { AdapterEntry, HeroDeskConfig } from '../config/schema.ts';

type EntryKind = keyof typeof ENTRY_FACTORIES;

/** The bundled relay reads this one by name (adapters/registry/publishers.ts); it is not in any entry's options. */
const RELAY_PUBLISH_SECRET = 'relay-publish';

export function configSecretNames(config: HeroDeskConfig): string[] {
  const names = new Set<string>();
  const collect = (kind: EntryKind, entry: AdapterEntry | null, dropKeys: readonly string[] = []) => {
    if (entry === null) return;
    const table: FactoryTable<unknown, never> = ENTRY_FACTORIES[kind];
    const found = Object.hasOwn(table, entry.type) ? table[entry.type] : undefined;
    if (found === undefined) return;
    const options: Record<string, unknown> = { ...entry };
    for (const key of ['type', ...dropKeys]) delete options[key];
    const parsed = found.schema.safeParse(options);
    if (!parsed.success) return;
    // the same part of the options the built adapter reads secrets from (the AITable webhook's only when on)
    collectSecretNames(found.secretsIn ? found.secretsIn(parsed.data) : parsed.data, names);
  };
  for (const entry of Object.values(config.providers)) collect('provider', entry, PROVIDER_LIMIT_KEYS);
  for (const entry of config.scorers) collect('scorer', entry);
  collect('source', config.source);
  collect('storage', config.storage);
  collect('publisher', config.publisher);
  collect('prompt writer', config.promptWriter);
  if (config.publisher.type === 'relay') names.add(RELAY_PUBLISH_SECRET);
  if (config.store.type === 'postgres') names.add(config.store.urlSecret);
  return [...names].sort();
}
