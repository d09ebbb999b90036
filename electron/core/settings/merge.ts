// Puts a settings draft into the config file's own JSON without disturbing the rest of it: sections
// the screen does not edit are kept byte for byte (key order too), a value the editor did not change
// keeps the file's spelling of it ("Breaking" stays a shorthand), and a value left at its default
// is not written into a file that did not have it. The result is checked by the strict validator
// before anything is written.
import { isDeepStrictEqual } from 'node:util';
import type { SettingsDraft } from '../../../shared/contract.ts';
import { AitableMappingSchema, AitableWriteBackSchema } from '../adapters/aitable/config.ts';
import { TIER_DEFAULTS } from '../config/schema.ts';
import { PromptConfigSchema } from '../prompt/build-prompt.ts';
import { HouseStyleSchema } from '../prompt/house-styles.ts';

type Raw = Record<string, unknown>;

/** What each editable value is when the file does not set it. */
const DEFAULTS: Raw = {
  tiers: TIER_DEFAULTS,
  breakingBudgetOverride: true,
  // houseStyles and sectionAliases come out as the default maps (custom ones are merged over them)
  prompt: PromptConfigSchema.parse({}),
  source: { mapping: AitableMappingSchema.parse({}), writeBack: AitableWriteBackSchema.parse({}) },
};

/**
 * Maps whose keys the newsroom names (sections): the draft lists every entry; an entry equal to its
 * default is left out of the file (defaults are merged in at load), so "reset to default" removes it.
 */
const MAPS = new Set(['prompt.houseStyles', 'prompt.sectionAliases']);

/** Values with more than one spelling in the file, compared by meaning. */
const NORMALISE: Record<string, (value: unknown) => unknown> = {
  'source.mapping.breaking': (value) => (typeof value === 'string' ? { field: value, truthy: true } : value),
};
const normaliseEntry = (mapPath: string, value: unknown): unknown => {
  if (mapPath !== 'prompt.houseStyles') return value;
  const parsed = HouseStyleSchema.safeParse(value);
  return parsed.success ? parsed.data : value;
};

export function mergeDraft(file: Raw, draft: SettingsDraft): Raw {
  const out: Raw = { ...file };
  for (const key of ['tiers', 'breakingBudgetOverride', 'prompt'] as const) {
    if (draft[key] !== undefined) put(out, key, mergeValue(file[key], draft[key], DEFAULTS[key], key));
  }
  if (draft.source !== undefined) {
    // the draft reaches only mapping and write-back (the service accepts it for an AITable source only)
    put(out, 'source', mergeValue(file.source, draft.source, DEFAULTS.source, 'source') ?? file.source);
  }
  return out;
}

/** Sets or (for undefined: nothing worth writing) removes `key`, keeping the key's place. */
function put(target: Raw, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function mergeValue(file: unknown, draft: unknown, defaults: unknown, path: string): unknown {
  const norm = NORMALISE[path] ?? ((value: unknown) => value);
  const fileHas = file !== undefined;
  if (fileHas && isDeepStrictEqual(norm(file), norm(draft))) return file;
  // a key with no default is not one this screen knows: written as given, for the validator to judge
  if (!fileHas && defaults === undefined) return draft;
  if (MAPS.has(path) && isObject(draft)) return mergeMap(file, draft, defaults, path);
  if (!isObject(draft)) {
    if (!fileHas && isDeepStrictEqual(norm(draft), norm(defaults))) return undefined;
    return draft;
  }
  // an object of known keys: keys the draft does not mention are kept as the file has them
  const base: Raw = isObject(file) ? { ...file } : {};
  for (const [key, value] of Object.entries(draft)) {
    if (value === undefined) continue;
    const child = mergeValue(
      isObject(file) ? file[key] : undefined,
      value,
      isObject(defaults) ? defaults[key] : undefined,
      `${path}.${key}`,
    );
    put(base, key, child);
  }
  return Object.keys(base).length === 0 && !fileHas ? undefined : base;
}

function mergeMap(file: unknown, draft: Raw, defaults: unknown, path: string): Raw | undefined {
  const fileMap = isObject(file) ? file : {};
  const defaultMap = isObject(defaults) ? defaults : {};
  const out: Raw = {};
  const keys = [
    ...Object.keys(fileMap).filter((key) => Object.hasOwn(draft, key)),
    ...Object.keys(draft).filter((key) => !Object.hasOwn(fileMap, key)),
  ];
  for (const key of keys) {
    const value = draft[key];
    const same = (a: unknown, b: unknown) => isDeepStrictEqual(normaliseEntry(path, a), normaliseEntry(path, b));
    if (Object.hasOwn(defaultMap, key) && same(value, defaultMap[key])) continue;
    out[key] = Object.hasOwn(fileMap, key) && same(fileMap[key], value) ? fileMap[key] : value;
  }
  return Object.keys(out).length === 0 && file === undefined ? undefined : out;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
