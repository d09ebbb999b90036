// Turns a raw Fusion record into a SourceArticle (or a RejectedRecord with a clear reason),
// and picks its tier from the routing rules in config.
import { createHash } from 'node:crypto';
import type { Tier } from '../../../../shared/domain.ts';
import type { RejectedRecord, SourceArticle } from '../types.ts';
import type { AitableConfig, FieldCondition } from './config.ts';
import { RecordSchema } from './responses.ts';
import type { AitableRecord } from './responses.ts';

const MAX_HEADLINE = 500;
const MAX_TEXT = 20_000;

type Cells = AitableRecord['fields'];
/** Thrown inside mapRecord only; becomes the RejectedRecord's reason. */
class Unreadable extends Error {}

/** Cell → text: strings, numbers, select arrays, URL objects; anything else is a type error. */
function readText(cells: Cells, field: string | null): string | null {
  if (field === null) return null;
  const value = cells[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ').trim() || null;
  if (typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    return (value as { text: string }).text.trim() || null;
  }
  throw new Unreadable(`field "${field}" holds ${Array.isArray(value) ? 'a list' : typeof value}, expected text`);
}

/**
 * Cell → ms since epoch: a DateTime field's timestamp, or ISO 8601 text. An unreadable embargo
 * rejects the record (with the reason): publishing too early is worse than waiting for a fix.
 */
function readDateTime(cells: Cells, field: string): number | null {
  const value = cells[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = readText(cells, field);
  if (text === null) return null;
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new Unreadable(
      `embargo field "${field}" holds "${text.slice(0, 40)}", not a date and time: use a DateTime field or ISO 8601 text such as 2026-12-02T14:00:00Z`,
    );
  return parsed;
}

/** Words a newsroom types for "no" in a text or select field. */
const NO_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'none', 'nein', 'non', '-']);

function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string')
    return isTruthy((value as { text: string }).text);
  if (typeof value === 'string') return value.trim() !== '' && !NO_WORDS.has(value.trim().toLowerCase());
  return value !== undefined && value !== null && value !== false && value !== 0;
}

/** A cell equals a wanted value when either it or one of its options (multi-select) does. */
function cellMatches(value: unknown, wanted: string | number | boolean): boolean {
  const one = (v: unknown): boolean => {
    if (typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string') v = (v as { text: string }).text;
    if (typeof wanted === 'string' && typeof v === 'string') return v.trim().toLowerCase() === wanted.trim().toLowerCase();
    return v === wanted;
  };
  if (wanted === false && value === undefined) return true; // unchecked checkboxes are absent
  return Array.isArray(value) ? value.some(one) : one(value);
}

export function conditionHolds(cells: Cells, condition: FieldCondition): boolean {
  const value = cells[condition.field];
  if (condition.truthy) return isTruthy(value);
  if (condition.in) return condition.in.some((wanted) => cellMatches(value, wanted));
  if (condition.equals !== undefined) return cellMatches(value, condition.equals);
  return false;
}

export function routeTier(cells: Cells, breaking: boolean, config: AitableConfig): Tier {
  const rule = config.routing.find((r) => conditionHolds(cells, r));
  if (rule) return rule.tier;
  if (breaking && config.breakingTier) return config.breakingTier;
  return config.defaultTier;
}

/** Field references the poller must read (what `fields=` asks for, what LAST_MODIFIED_TIME watches). */
export function inputFields(config: AitableConfig): string[] {
  const m = config.mapping;
  const refs = [m.headline, m.summary, m.section, m.breaking?.field ?? null, m.storyType, m.promptOverride, m.embargo];
  for (const rule of config.routing) refs.push(rule.field);
  return [...new Set(refs.filter((r): r is string => r !== null))];
}

export type MappedRecord =
  | { kind: 'article'; article: SourceArticle; hash: string; modifiedAt: number | null }
  | { kind: 'rejected'; rejected: RejectedRecord; hash: string; modifiedAt: number | null };

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

export function mapRecord(raw: unknown, config: AitableConfig): MappedRecord {
  const parsed = RecordSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { recordId?: unknown })?.recordId === 'string' ? (raw as { recordId: string }).recordId : 'unknown';
    const rejected = { recordId: id, reason: 'record is not in the Fusion API shape (recordId/fields)' };
    return { kind: 'rejected', rejected, hash: hashOf(rejected), modifiedAt: null };
  }
  const record = parsed.data;
  const modifiedAt = record.updatedAt ?? record.createdAt ?? null;
  const reject = (reason: string): MappedRecord => {
    const rejected = { recordId: record.recordId, reason };
    return { kind: 'rejected', rejected, hash: hashOf(rejected), modifiedAt };
  };
  const m = config.mapping;
  try {
    const headline = readText(record.fields, m.headline);
    const summary = readText(record.fields, m.summary) ?? '';
    if (!headline) return reject(`headline field "${m.headline}" is empty`);
    if (headline.length > MAX_HEADLINE) return reject(`headline is ${headline.length} characters (max ${MAX_HEADLINE})`);
    if (summary.length > MAX_TEXT) return reject(`summary is longer than ${MAX_TEXT} characters`);
    const breaking = m.breaking ? conditionHolds(record.fields, m.breaking) : false;
    const article: SourceArticle = {
      recordId: record.recordId,
      headline,
      summary,
      section: readText(record.fields, m.section) ?? '',
      breaking,
      storyType: readText(record.fields, m.storyType),
      promptOverride: readText(record.fields, m.promptOverride),
      tier: routeTier(record.fields, breaking, config),
      ...(m.embargo === null ? {} : { embargoUntil: readDateTime(record.fields, m.embargo) }),
    };
    return { kind: 'article', article, hash: hashOf(article), modifiedAt };
  } catch (error) {
    if (error instanceof Unreadable) return reject(error.message);
    throw error;
  }
}
