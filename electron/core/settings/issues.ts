// The strict validator speaks in lines ("tiers.breaking.minScore: Too big: …"); the settings screen
// needs them per field. Also the guard that keeps keys out of the config file.
import type { SettingsIssue } from '../../../shared/contract.ts';

// formatPath()'s grammar (config/issues.ts): names joined by dots, [0] indexes, ["quoted keys"]
const LINE = /^((?:[A-Za-z_$][\w$-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\]|\.)+|\(top level\)): ([\s\S]*)$/;

export function issueOf(line: string): SettingsIssue {
  const match = LINE.exec(line);
  if (!match) return { path: '', message: line };
  const path = match[1] === '(top level)' ? '' : (match[1] as string);
  return { path, message: match[2] as string };
}

/**
 * Values that are keys, not settings: one the secret store holds, or a shape no setting has
 * (OpenAI `sk-…`, AITable `usk…`, Replicate/Hugging Face/GitHub tokens, long opaque strings).
 * redactKeys() is not used: its "token: word" rule would flag ordinary prose in a house style.
 */
const KEY_SHAPES = [
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/,
  /\busk[A-Za-z0-9]{16,}/,
  /\b(?:r8|hf|ghp|gho|xox[abp])_[A-Za-z0-9_-]{12,}/,
  /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{40,}\b/,
];

export function secretIssues(draft: unknown, knownSecrets: readonly string[], path = ''): SettingsIssue[] {
  if (typeof draft === 'string') {
    const known = knownSecrets.some((secret) => secret.length >= 8 && draft.includes(secret));
    if (!known && !KEY_SHAPES.some((shape) => shape.test(draft))) return [];
    return [{ path, message: 'this looks like an API key: keys never go in the config file; paste it in Keys instead' }];
  }
  if (Array.isArray(draft)) return draft.flatMap((item, index) => secretIssues(item, knownSecrets, `${path}[${index}]`));
  if (typeof draft === 'object' && draft !== null) {
    return Object.entries(draft).flatMap(([key, value]) => secretIssues(value, knownSecrets, pathJoin(path, key)));
  }
  return [];
}

/** Mirrors formatPath() for one more key. */
export function pathJoin(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}
