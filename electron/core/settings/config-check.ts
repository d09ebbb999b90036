// Checks a whole config file in one pass: the top-level schema, then each adapter entry's options
// and the prompt section against their own strict schemas, then the provider names tiers use. Every
// mistake comes back as one line naming its full path, so a file's errors are all listed at once.
import type { z } from 'zod';
import { ENTRY_SCHEMAS, BUILTIN_PROVIDERS, PROVIDER_LIMIT_KEYS, unknownTypeMessage } from '../adapters/registry/index.ts';
import { ProviderLimitsSchema } from '../adapters/limits.ts';
import { PromptConfigSchema } from '../prompt/build-prompt.ts';
import { didYouMean, formatPath, parseStrict, type ConfigPath } from '../config/issues.ts';
import { ConfigSchema, type HeroDeskConfig } from '../config/schema.ts';

type EntryKind = keyof typeof ENTRY_SCHEMAS;
type Raw = Record<string, unknown>;

export type ConfigCheck = { ok: true; config: HeroDeskConfig } | { ok: false; lines: string[] };

export function checkConfig(raw: unknown): ConfigCheck {
  const top = parseStrict(ConfigSchema, raw);
  const lines = top.success ? [] : [...top.lines];
  if (isObject(raw)) lines.push(...nestedLines(raw));
  return top.success && lines.length === 0 ? { ok: true, config: top.data } : { ok: false, lines };
}

function nestedLines(raw: Raw): string[] {
  const lines: string[] = [];
  const entry = (kind: EntryKind, value: unknown, path: ConfigPath, rootKeys: readonly string[] = []) =>
    lines.push(...entryLines(kind, value, path, rootKeys));
  if (isObject(raw.providers)) {
    for (const [name, value] of Object.entries(raw.providers)) {
      entry('provider', value, ['providers', name], PROVIDER_LIMIT_KEYS);
      if (isObject(value)) lines.push(...linesOf(ProviderLimitsSchema, pick(value, PROVIDER_LIMIT_KEYS), ['providers', name]));
    }
  }
  if (Array.isArray(raw.scorers)) raw.scorers.forEach((value, index) => entry('scorer', value, ['scorers', index]));
  if (raw.source !== undefined) {
    entry('source', raw.source, ['source']);
    lines.push(...inheritedPollLines(raw));
  }
  if (raw.storage !== undefined) entry('storage', raw.storage, ['storage']);
  if (raw.publisher !== undefined) entry('publisher', raw.publisher, ['publisher']);
  if (raw.promptWriter !== undefined && raw.promptWriter !== null) entry('prompt writer', raw.promptWriter, ['promptWriter']);
  if (isObject(raw.prompt)) lines.push(...linesOf(PromptConfigSchema, raw.prompt, ['prompt']));
  lines.push(...tierProviderLines(raw));
  return lines;
}

/** An entry that is not an object with a string type was already reported by the top-level schema. */
function entryLines(kind: EntryKind, value: unknown, path: ConfigPath, rootKeys: readonly string[]): string[] {
  if (!isObject(value) || typeof value.type !== 'string' || value.type === '') return [];
  const schemas: Record<string, z.ZodType> = ENTRY_SCHEMAS[kind];
  const schema = Object.hasOwn(schemas, value.type) ? schemas[value.type] : undefined;
  if (!schema) return [`${formatPath([...path, 'type'])}: ${unknownTypeMessage(kind, value.type, Object.keys(schemas))}`];
  const { type: _type, ...options } = value;
  const parsed = parseStrict(schema, omit(options, rootKeys), path, ['type', ...rootKeys]);
  return parsed.success ? [] : parsed.lines;
}

/** The top-level pollIntervalMs applies to a source that sets none: it must fit that source's own range. */
function inheritedPollLines(raw: Raw): string[] {
  const source = raw.source;
  if (raw.pollIntervalMs === undefined || !isObject(source) || source.pollIntervalMs !== undefined) return [];
  const schema = Object.hasOwn(ENTRY_SCHEMAS.source, String(source.type)) ? ENTRY_SCHEMAS.source[source.type as 'demo' | 'aitable'] : null;
  const own = schema?.shape.pollIntervalMs;
  if (!own) return [];
  const parsed = parseStrict(own, raw.pollIntervalMs, ['pollIntervalMs']);
  return parsed.success ? [] : parsed.lines.map((line) => `${line} (the ${String(source.type)} source's own limit)`);
}

function tierProviderLines(raw: Raw): string[] {
  if (!isObject(raw.tiers)) return [];
  const declared = isObject(raw.providers) ? Object.keys(raw.providers) : [];
  const known = [...declared, ...Object.keys(BUILTIN_PROVIDERS)];
  const lines: string[] = [];
  for (const [tier, value] of Object.entries(raw.tiers)) {
    if (!isObject(value) || !Array.isArray(value.providers)) continue;
    value.providers.forEach((name, index) => {
      if (typeof name === 'string' && name !== '' && !known.includes(name)) {
        lines.push(`${formatPath(['tiers', tier, 'providers', index])}: "${name}" is not in providers${didYouMean(name, known)}`);
      }
    });
  }
  return lines;
}

function linesOf(schema: z.ZodType, input: unknown, path: ConfigPath): string[] {
  const parsed = parseStrict(schema, input, path);
  return parsed.success ? [] : parsed.lines;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(value: Raw, keys: readonly string[]): Raw {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

function omit(value: Raw, keys: readonly string[]): Raw {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}
