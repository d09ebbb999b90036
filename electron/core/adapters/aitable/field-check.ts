// Start-up check of the field mapping against the datasheet's real fields (GET .../fields):
// every mapped field must exist (under the configured fieldKey) and be of a usable type.
import type { AitableConfig } from './config.ts';
import type { FieldMeta } from './responses.ts';

const TEXT = ['SingleText', 'Text', 'Formula', 'LookUp'];
const CHOICE = [...TEXT, 'SingleSelect', 'MultiSelect'];

interface Expectation {
  role: string;
  ref: string | null;
  types: readonly string[] | null;
  write: boolean;
}

function expectations(config: AitableConfig): Expectation[] {
  const m = config.mapping;
  const out: Expectation[] = [
    { role: 'headline', ref: m.headline, types: TEXT, write: false },
    { role: 'summary', ref: m.summary, types: TEXT, write: false },
    { role: 'section', ref: m.section, types: CHOICE, write: false },
    { role: 'breaking', ref: m.breaking?.field ?? null, types: [...CHOICE, 'Checkbox', 'Number', 'Rating'], write: false },
    { role: 'storyType', ref: m.storyType, types: CHOICE, write: false },
    { role: 'promptOverride', ref: m.promptOverride, types: TEXT, write: false },
    ...config.routing.map((rule, i) => ({ role: `routing[${i}]`, ref: rule.field, types: null, write: false })),
  ];
  if (config.writeBack.enabled) {
    const w = config.writeBack.fields;
    out.push(
      { role: 'writeBack.status', ref: w.status, types: ['SingleSelect', 'SingleText', 'Text'], write: true },
      { role: 'writeBack.imageUrl', ref: w.imageUrl, types: ['URL', 'SingleText', 'Text'], write: true },
      { role: 'writeBack.imageAttachment', ref: w.imageAttachment, types: ['Attachment'], write: true },
      { role: 'writeBack.score', ref: w.score, types: ['Number', 'Rating'], write: true },
      { role: 'writeBack.cost', ref: w.cost, types: ['Currency', 'Number'], write: true },
      { role: 'writeBack.altText', ref: w.altText, types: ['Text', 'SingleText'], write: true },
    );
  }
  return out.filter((e) => e.ref !== null);
}

/** One line per problem; empty when the mapping fits the datasheet. */
export function checkFields(fields: readonly FieldMeta[], config: AitableConfig): string[] {
  const byKey = (f: FieldMeta) => (config.fieldKey === 'id' ? f.id : f.name);
  const byOtherKey = (f: FieldMeta) => (config.fieldKey === 'id' ? f.name : f.id);
  const problems: string[] = [];
  for (const e of expectations(config)) {
    const ref = e.ref as string;
    const field = fields.find((f) => byKey(f) === ref);
    if (!field) {
      const other = fields.find((f) => byOtherKey(f) === ref);
      problems.push(
        other
          ? `${e.role}: "${ref}" is a field ${config.fieldKey === 'id' ? 'name' : 'id'}, but fieldKey is "${config.fieldKey}" (use "${byKey(other)}")`
          : `${e.role}: no field "${ref}" in datasheet${config.viewId ? ` view ${config.viewId} (hidden columns count as missing)` : ''}`,
      );
      continue;
    }
    if (e.types && !e.types.includes(field.type)) {
      problems.push(`${e.role}: field "${ref}" is ${field.type}, expected ${e.types.join(' or ')}`);
    } else if (e.write && field.editable === false) {
      problems.push(`${e.role}: field "${ref}" is not editable with this token`);
    }
  }
  return problems;
}
