// Turns zod issues into one line each, "path: what is wrong", with the nearest known key
// suggested for a mistyped one: `relay.allowedOrigin: unknown key — did you mean "allowedOrigins"?`
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';

export type ConfigPath = readonly PropertyKey[];

/** `tiers.breaking.providers[0]`, `providers.openai-premium.model`, `statusLabels["in review"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(top level)';
}

/**
 * The known name a mistyped one most likely meant: case-insensitive, about one edit per three letters;
 * else a known name it begins ("poll" → "pollIntervalMs"), or that holds it or is held by it
 * ("secretName" → "publishSecretName", "bucketName" → "bucket").
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const limit = name.length < 3 ? 0 : Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (bestDistance <= limit) return best;
  if (name.length < 3) return undefined;
  const shortest = (names: string[]) => names.sort((a, b) => a.length - b.length)[0];
  return (
    shortest(known.filter((candidate) => candidate.toLowerCase().startsWith(lower))) ??
    shortest(known.filter((candidate) => holds(candidate.toLowerCase(), lower) || holds(lower, candidate.toLowerCase())))
  );
}

/** `inner` is a good part of `outer`: at least 4 letters and half its length. */
function holds(outer: string, inner: string): boolean {
  return inner.length >= 4 && inner.length * 2 >= outer.length && outer.includes(inner);
}

/** Levenshtein distance, with one swap of neighbouring letters ("tpye") counted as one edit, not two. */
function editDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  const differ = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  const [i, j] = differ;
  return differ.length === 2 && j === (i as number) + 1 && a[i as number] === b[j] && a[j] === b[i as number] ? 1 : d;
}

export function didYouMean(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  return near === undefined ? '' : ` — did you mean "${near}"?`;
}

const UNKNOWN_KEY = 'unknown key';

/**
 * Parses with strict objects' unknown keys described per key. `rootKeys` are keys the caller took off
 * before parsing (an adapter entry's `type`, a provider's limits): known, so they are suggested too.
 */
export function parseStrict<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: ConfigPath = [],
  rootKeys: readonly string[] = [],
): { success: true; data: z.output<S> } | { success: false; lines: string[] } {
  const result = schema.safeParse(input, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const own = knownKeys(issue.inst);
      const known = issue.path?.length ? own : [...own, ...rootKeys];
      // one hint per key, in the order of issue.keys; issueLines() pairs them up again
      return issue.keys.map((key) => `${UNKNOWN_KEY}${didYouMean(key, known)}`).join('\n');
    },
  });
  return result.success ? { success: true, data: result.data } : { success: false, lines: issueLines(result.error.issues, at) };
}

/** A strict object's keys, or the options of a record keyed by an enum (e.g. statusLabels). */
function knownKeys(schema: unknown): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) return schema.keyType.options.map(String);
  return [];
}

export function issueLines(issues: readonly z.core.$ZodIssue[], at: ConfigPath = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...at, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const hints = issue.message.split('\n');
      const paired = hints.length === issue.keys.length && hints.every((hint) => hint.startsWith(UNKNOWN_KEY));
      return issue.keys.map((key, i) => `${formatPath([...path, key])}: ${paired ? hints[i] : UNKNOWN_KEY}`);
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) return unionLines(issue, path);
    return [`${formatPath(path)}: ${issue.message}`];
  });
}

/** A union (e.g. a field name or a condition object) fails with each branch's issues: report the closest branch. */
function unionLines(issue: z.core.$ZodIssueInvalidUnion, path: ConfigPath): string[] {
  const wrongType = (branch: readonly z.core.$ZodIssue[]) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  const branches = issue.errors.filter((branch) => !wrongType(branch));
  if (branches.length === 1) return issueLines(branches[0] ?? [], path);
  const expected = issue.errors.flatMap((branch) => (branch[0]?.code === 'invalid_type' && wrongType(branch) ? [branch[0].expected] : []));
  return [`${formatPath(path)}: ${branches.length === 0 && expected.length ? `expected ${expected.join(' or ')}` : issue.message}`];
}
