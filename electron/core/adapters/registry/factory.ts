// What every seam's table is made of: a config `type` names a factory and the zod schema its options
// must pass. `buildFromEntry` is the one way an entry becomes an adapter: an unknown type or a bad
// option is a ConfigError naming the config path, and the secret names the options carry are collected.
import type { z } from 'zod';
import { ConfigError } from '../../config/errors.ts';
import { didYouMean, formatPath, parseStrict, type ConfigPath } from '../../config/issues.ts';
import type { AdapterEntry, HeroDeskConfig } from '../../config/schema.ts';
import type { Logger } from '../../base/log.ts';
import type { SharedLimiter } from '../limits.ts';
import type { SecretStore } from '../types.ts';

export interface AdapterDeps {
  secrets: SecretStore;
  /** Collects the secret names the configured adapters use (for the board's key settings). */
  secretNames?: Set<string>;
  logger: Logger;
  /** The shipped default-image set, when not the one beside the app (tests). */
  defaultImagesDir?: string;
  /** Counts providers' limits in the store, for every process on it (else per process). */
  providerLimiter?: SharedLimiter;
}

/** What the seams that run in this process need besides deps: sources, storage and publishers. */
export interface RunDeps extends AdapterDeps {
  dataDir: string;
  config: HeroDeskConfig;
  /** Ports given on the command line (`--media-port`, `--relay-port`), stricter than the config's. */
  mediaPort?: number;
  relayPort?: number;
  /**
   * False in a `hero-desk worker`: it starts no media server and no bundled relay (the desk beside
   * it runs those), so it cannot publish through them; the desk's engine claims the publish lane.
   */
  servers?: boolean;
  /** An embedded server a factory started: stopped on shutdown, or at once if a later adapter fails. */
  onStop(stop: () => Promise<void>): void;
}

/** One type of one seam. `create` is a method so a table can hold factories of different schemas. */
export interface Factory<S extends z.ZodType, T, D = AdapterDeps> {
  schema: S;
  create(options: z.output<S>, deps: D): T;
  /** The part of the options whose secrets the adapter reads, when not all of them (a switched-off feature's). */
  secretsIn?(options: z.output<S>): unknown;
}

export type FactoryTable<T, D = AdapterDeps> = Record<string, Factory<z.ZodType, T, D>>;

export function factory<S extends z.ZodType, T>(schema: S, create: (options: z.output<S>, deps: AdapterDeps) => T): Factory<S, T> {
  return { schema, create };
}

/** A factory for a seam that runs in this process and may start an embedded server. */
export function runFactory<S extends z.ZodType, T>(schema: S, create: (options: z.output<S>, deps: RunDeps) => T): Factory<S, T, RunDeps> {
  return { schema, create };
}

export const schemasOf = <Table extends Record<string, { schema: z.ZodType }>>(table: Table): { [K in keyof Table]: Table[K]['schema'] } =>
  Object.fromEntries(Object.entries(table).map(([type, f]) => [type, f.schema])) as { [K in keyof Table]: Table[K]['schema'] };

export function unknownTypeMessage(kind: string, type: string, known: readonly string[]): string {
  return `unknown ${kind} type "${type}"${didYouMean(type, known)} (known: ${known.join(', ')})`;
}

export function buildFromEntry<T, D extends AdapterDeps>(
  kind: string,
  table: FactoryTable<T, D>,
  entry: AdapterEntry,
  path: ConfigPath,
  deps: D,
  rootKeys: readonly string[] = [],
): T {
  const found = Object.hasOwn(table, entry.type) ? table[entry.type] : undefined;
  if (!found) throw new ConfigError(`${formatPath([...path, 'type'])}: ${unknownTypeMessage(kind, entry.type, Object.keys(table))}`);
  const { type: _type, ...options } = entry;
  const parsed = parseStrict(found.schema, options, path, ['type', ...rootKeys]);
  if (!parsed.success) throw new ConfigError(`${formatPath(path)} (${entry.type}) is invalid:\n${parsed.lines.join('\n')}`);
  collectSecretNames(found.secretsIn ? found.secretsIn(parsed.data) : parsed.data, deps.secretNames);
  return found.create(parsed.data, deps);
}

/**
 * Adapters name their secrets in options ending in "Secret" or "SecretName" (apiKeySecret, tokenSecret,
 * signingSecret, publishSecretName, secretName …); after parsing, defaults included, this finds them.
 */
export function collectSecretNames(options: unknown, into: Set<string> | undefined): void {
  if (!into || options === null || typeof options !== 'object') return;
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'string' && /secret(name)?$/i.test(key)) into.add(value);
    else if (typeof value === 'object') collectSecretNames(value, into);
  }
}
