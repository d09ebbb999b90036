// The config file as bytes on disk: read with a content hash (the revision a save must still find,
// so a hand edit made meanwhile is never overwritten unseen) and written atomically in the file's
// own indentation and mode.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomicSync } from '../base/write-atomic.ts';
import { errorMessage } from '../base/failures.ts';

export interface ConfigFileState {
  /** sha256 of the bytes (16 hex digits); null when there is no file. */
  revision: string | null;
  text: string | null;
  /** The parsed top-level object; null when absent or unusable. */
  raw: Record<string, unknown> | null;
  /** Why the file cannot be used, with the next step. */
  error: string | null;
}

export function revisionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function readConfigFile(path: string): ConfigFileState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { revision: null, text: null, raw: null, error: null };
    return { revision: null, text: null, raw: null, error: `cannot read ${path}: ${errorMessage(error)}; check the file's permissions` };
  }
  const revision = revisionOf(text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      revision,
      text,
      raw: null,
      error: `${basename(path)} is not valid JSON (${errorMessage(error)}); fix it by hand, then reload settings`,
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { revision, text, raw: null, error: `${basename(path)} must hold one JSON object; fix it by hand, then reload settings` };
  }
  return { revision, text, raw: raw as Record<string, unknown>, error: null };
}

/** Writes `raw` as the whole file (temp + rename) and returns the new revision. */
export function writeConfigFile(path: string, raw: Record<string, unknown>, previousText: string | null): string {
  const text = `${JSON.stringify(raw, null, indentOf(previousText))}\n`;
  writeFileAtomicSync(path, text, modeOf(path));
  return revisionOf(text);
}

/** The indentation the file already uses (two spaces for a new file). */
function indentOf(text: string | null): string {
  const match = text ? /^[{[][^\n]*\n([ \t]+)\S/.exec(text) : null;
  return match?.[1] ?? '  ';
}

/** Keep a file's permissions (an admin may have made it 0600); new files 0644 like other config. */
function modeOf(path: string): number {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return 0o644;
  }
}
