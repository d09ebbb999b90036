// Provider text (error bodies, refusal reasons) crosses into the database, the board and the
// event log here, with anything key-like removed. The store does not know the secret values,
// so this is pattern-based (failures.ts redactKeys): an OpenAI 401 echoing part of a key, a
// Bearer token, an api_key=… query string.
import { redactKeys } from '../base/failures.ts';

export function storable(text: string): string;
export function storable(text: string | null | undefined): string | null;
export function storable(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : redactKeys(text);
}

/** Event detail fields that carry free text from elsewhere; ids, keys and numbers pass unchanged. */
const TEXT_FIELDS = new Set(['error', 'message', 'note', 'reason', 'last_error', 'action']);

export function storableDetail(detail: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [field, value] of Object.entries(detail)) {
    if (typeof value !== 'string' || !TEXT_FIELDS.has(field)) continue;
    const clean = redactKeys(value);
    if (clean !== value) (out ??= { ...detail })[field] = clean;
  }
  return out ?? detail;
}
