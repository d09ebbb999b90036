// Check of the field mapping against the datasheet's real fields (GET .../fields): every mapped
// field must exist (under the configured fieldKey) and be of a usable type. `fieldReport` gives one
// entry per role (for the settings screen, with the field it most likely meant); `checkFields` the
// start-up check's lines.
import { nearestName } from '../../config/issues.ts';
import type { AitableConfig } from './config.ts';
import type { FieldMeta } from './responses.ts';

const TEXT = ['SingleText', 'Text', 'Formula', 'LookUp'];
const CHOICE = [...TEXT, 'SingleSelect', 'MultiSelect'];

interface Expectation {
  role: string;
  /** Where the role lives in the config file. */
  path: string;
  ref: string | null;
  types: readonly string[] | null;
  write: boolean;
}

export type FieldStatus = 'ok' | 'unset' | 'missing' | 'wrong_type' | 'not_editable' | 'wrong_key';

export interface FieldReportEntry {
  role: string;
  path: string;
  ref: string | null;
  expected: string[] | null;
  status: FieldStatus;
  /** The start-up check's line for this role (null when it fits). */
  message: string | null;
  /** The field it most likely meant, or the right reference for the fieldKey. */
  suggestion: string | null;
}

const WRITE_TYPES = {
  status: ['SingleSelect', 'SingleText', 'Text'],
  imageUrl: ['URL', 'SingleText', 'Text'],
  imageAttachment: ['Attachment'],
  score: ['Number', 'Rating'],
  cost: ['Currency', 'Number'],
  altText: ['Text', 'SingleText'],
  credit: ['Text', 'SingleText'],
  aiLabel: ['SingleSelect', 'SingleText', 'Text'],
  safetyOverride: ['Text', 'SingleText'],
  approvedBy: ['Text', 'SingleText'],
} as const;

function expectations(config: AitableConfig, includeUnset: boolean): Expectation[] {
  const m = config.mapping;
  const read = (role: keyof typeof m, ref: string | null, types: readonly string[]): Expectation => ({
    role,
    path: `source.mapping.${role}`,
    ref,
    types,
    write: false,
  });
  const out: Expectation[] = [
    read('headline', m.headline, TEXT),
    read('summary', m.summary, TEXT),
    read('section', m.section, CHOICE),
    { ...read('breaking', m.breaking?.field ?? null, [...CHOICE, 'Checkbox', 'Number', 'Rating']), path: 'source.mapping.breaking' },
    read('storyType', m.storyType, CHOICE),
    read('promptOverride', m.promptOverride, TEXT),
    read('embargo', m.embargo, ['DateTime', ...TEXT]),
    ...config.routing.map((rule, i) => ({
      role: `routing[${i}]`,
      path: `source.routing[${i}].field`,
      ref: rule.field,
      types: null,
      write: false,
    })),
  ];
  if (config.writeBack.enabled || includeUnset) {
    const w = config.writeBack.fields;
    for (const key of Object.keys(WRITE_TYPES) as (keyof typeof WRITE_TYPES)[]) {
      out.push({ role: `writeBack.${key}`, path: `source.writeBack.fields.${key}`, ref: w[key], types: WRITE_TYPES[key], write: true });
    }
  }
  return includeUnset ? out : out.filter((e) => e.ref !== null);
}

/** One entry per role; with `includeUnset`, also roles left empty and write-back fields while it is off. */
export function fieldReport(fields: readonly FieldMeta[], config: AitableConfig, includeUnset = false): FieldReportEntry[] {
  const byKey = (f: FieldMeta) => (config.fieldKey === 'id' ? f.id : f.name);
  const byOtherKey = (f: FieldMeta) => (config.fieldKey === 'id' ? f.name : f.id);
  return expectations(config, includeUnset).map((e) => {
    const base = { role: e.role, path: e.path, ref: e.ref, expected: e.types ? [...e.types] : null };
    const entry = (status: FieldStatus, message: string | null, suggestion: string | null = null): FieldReportEntry => ({
      ...base,
      status,
      message,
      suggestion,
    });
    if (e.ref === null) return entry('unset', null);
    const ref = e.ref;
    const field = fields.find((f) => byKey(f) === ref);
    if (!field) {
      const other = fields.find((f) => byOtherKey(f) === ref);
      if (other) {
        const message = `${e.role}: "${ref}" is a field ${config.fieldKey === 'id' ? 'name' : 'id'}, but fieldKey is "${config.fieldKey}" (use "${byKey(other)}")`;
        return entry('wrong_key', message, byKey(other));
      }
      const where = config.viewId ? ` view ${config.viewId} (hidden columns count as missing)` : '';
      return entry('missing', `${e.role}: no field "${ref}" in datasheet${where}`, nearestField(ref, fields, e.types, byKey));
    }
    if (e.types && !e.types.includes(field.type)) {
      return entry('wrong_type', `${e.role}: field "${ref}" is ${field.type}, expected ${e.types.join(' or ')}`);
    }
    if (e.write && field.editable === false) return entry('not_editable', `${e.role}: field "${ref}" is not editable with this token`);
    return entry('ok', null);
  });
}

/** The nearest field name, preferring fields of a usable type. */
function nearestField(
  ref: string,
  fields: readonly FieldMeta[],
  types: readonly string[] | null,
  byKey: (f: FieldMeta) => string,
): string | null {
  const usable = fields.filter((f) => types === null || types.includes(f.type)).map(byKey);
  return nearestName(ref, usable) ?? nearestName(ref, fields.map(byKey)) ?? null;
}

/** One line per problem; empty when the mapping fits the datasheet. */
export function checkFields(fields: readonly FieldMeta[], config: AitableConfig): string[] {
  return fieldReport(fields, config).flatMap((entry) => (entry.message === null ? [] : [entry.message]));
}
