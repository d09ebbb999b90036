// The AITable source's field mapping and write-back fields, checked live against the datasheet's
// real fields: choices come from AITable, each row says whether its field exists and fits, and a
// missing one offers the field it most likely meant.
import type { FieldCheckResult, SettingsIssue, SettingsView } from '../../../../shared/contract.ts';
import { FieldErrors, fieldId, fieldProps } from './fields.tsx';
import { MAPPING_ROLES, WRITE_BACK_ROLES, type BreakingTest, type SourceForm } from './form.ts';

type Checked = Extract<FieldCheckResult, { status: 'checked' }>;
type Role = Checked['roles'][number];

const MAPPING_LABEL: Record<(typeof MAPPING_ROLES)[number] | 'breaking', string> = {
  headline: 'Headline',
  summary: 'Summary',
  section: 'Section',
  breaking: 'Breaking flag',
  storyType: 'Story type',
  promptOverride: 'Prompt override',
  embargo: 'Embargo (publish at)',
};
const WRITE_LABEL: Record<(typeof WRITE_BACK_ROLES)[number], string> = {
  status: 'Image status',
  imageUrl: 'Image URL',
  imageAttachment: 'Image attachment',
  score: 'Score',
  cost: 'Cost',
  altText: 'Alt text',
  credit: 'Credit line',
  aiLabel: 'AI label',
  safetyOverride: 'Safety override reason',
  approvedBy: 'Approved by',
};
const REQUIRED = new Set(['headline', 'summary']);

interface SourceFieldsProps {
  form: SourceForm;
  connection: NonNullable<SettingsView['source']>;
  check: FieldCheckResult | null;
  checking: boolean;
  issues: readonly SettingsIssue[];
  onChange(patch: Partial<SourceForm>): void;
  onCheck(): void;
}

export function SourceFields({ form, connection, check, checking, issues, onChange, onCheck }: SourceFieldsProps) {
  const checked = check?.status === 'checked' ? check : null;
  const role = (path: string) => checked?.roles.find((entry) => entry.path === path) ?? null;
  const ref = (field: Checked['fields'][number]) => (checked?.fieldKey === 'id' ? field.id : field.name);

  /** Fields a role can use first, then the rest (marked by type), as the input's suggestions. */
  const datalist = (id: string, entry: Role | null) => {
    if (!checked) return null;
    const fits = (type: string) => !entry?.expected || entry.expected.includes(type);
    const sorted = [...checked.fields].sort((a, b) => Number(fits(b.type)) - Number(fits(a.type)));
    return (
      <datalist id={id}>
        {sorted.map((field) => (
          <option key={field.id} value={ref(field)} label={fits(field.type) ? field.type : `${field.type} — not usable here`} />
        ))}
      </datalist>
    );
  };

  const row = (path: string, label: string, value: string, set: (value: string) => void, optional: boolean | null) => {
    const entry = role(path);
    const found = checked && entry?.ref ? checked.fields.find((field) => ref(field) === entry.ref) : undefined;
    const listId = `${fieldId(path)}-choices`;
    return (
      <tr key={path} data-testid={`field-row-${path}`} data-status={entry?.status ?? 'unchecked'}>
        <th scope="row">
          <label htmlFor={fieldId(path)}>{label}</label>
          {optional && <span className="setting-hint">optional</span>}
        </th>
        <td>
          <input
            {...fieldProps(issues, path)}
            type="text"
            autoComplete="off"
            spellCheck={false}
            list={checked ? listId : undefined}
            value={value}
            placeholder={optional === false ? '' : 'not used'}
            onChange={(event) => set(event.currentTarget.value)}
          />
          {datalist(listId, entry)}
          <FieldErrors issues={issues} path={path} />
        </td>
        <td className="field-type">{found ? found.type : ''}</td>
        <td className="field-status">{statusOf(entry, checking, connection.fieldKey, found?.type, (value) => set(value))}</td>
      </tr>
    );
  };

  return (
    <div className="source-fields">
      <dl className="source-connection">
        <div>
          <dt>Datasheet</dt>
          <dd>
            <code>{connection.datasheetId}</code>
            {connection.viewId && (
              <>
                {' '}
                view <code>{connection.viewId}</code>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd>
            <code>{connection.baseUrl}</code>
          </dd>
        </div>
        <div>
          <dt>Fields named by</dt>
          <dd>{connection.fieldKey === 'id' ? 'field id' : 'field name'}</dd>
        </div>
        <div>
          <dt>API key</dt>
          <dd>
            <code>{connection.tokenSecret}</code> (set it under Keys)
          </dd>
        </div>
      </dl>
      <p className="setting-hint">The connection is changed in the config file; the field mapping and write-back here.</p>

      <div className="check-line">
        <button type="button" className="btn ghost" onClick={onCheck} disabled={checking} data-testid="check-fields">
          {checking ? 'Checking…' : 'Check fields against AITable'}
        </button>
        <span className="muted small" role="status" data-testid="field-check-status">
          {check === null && !checking && 'Not checked yet'}
          {checked && `${checked.fields.length} fields read from the datasheet; ${problemCount(checked)}`}
          {check?.status === 'invalid' && 'Fix the marked fields first'}
        </span>
      </div>
      {check?.status === 'unavailable' && (
        <p className="error-box" role="alert" data-testid="field-check-error">
          {check.message}
        </p>
      )}

      <h4 className="subhead">Fields Hero Desk reads</h4>
      <table className="field-table">
        <thead>
          <tr>
            <th scope="col">Meaning</th>
            <th scope="col">AITable field</th>
            <th scope="col">Type</th>
            <th scope="col">Check</th>
          </tr>
        </thead>
        <tbody>
          {MAPPING_ROLES.slice(0, 3).map((key) =>
            row(
              `source.mapping.${key}`,
              MAPPING_LABEL[key],
              form.mapping[key],
              (value) => onChange({ mapping: { ...form.mapping, [key]: value } }),
              !REQUIRED.has(key),
            ),
          )}
          {row('source.mapping.breaking', MAPPING_LABEL.breaking, form.breakingField, (value) => onChange({ breakingField: value }), true)}
          {MAPPING_ROLES.slice(3).map((key) =>
            row(
              `source.mapping.${key}`,
              MAPPING_LABEL[key],
              form.mapping[key],
              (value) => onChange({ mapping: { ...form.mapping, [key]: value } }),
              true,
            ),
          )}
        </tbody>
      </table>
      {form.breakingField.trim() !== '' && (
        <div className="breaking-test">
          <label htmlFor="breaking-test">A story is breaking when “{form.breakingField}”</label>
          <select
            id="breaking-test"
            value={form.breakingTest}
            onChange={(event) => onChange({ breakingTest: event.currentTarget.value as BreakingTest })}
          >
            <option value="truthy">is ticked or not empty</option>
            <option value="equals">equals</option>
            <option value="in">is one of</option>
          </select>
          {form.breakingTest !== 'truthy' && (
            <input
              type="text"
              aria-label={form.breakingTest === 'in' ? 'Values, comma-separated' : 'Value'}
              value={form.breakingValue}
              placeholder={form.breakingTest === 'in' ? 'P0, P1' : 'Breaking'}
              onChange={(event) => onChange({ breakingValue: event.currentTarget.value })}
            />
          )}
        </div>
      )}

      <h4 className="subhead">Written back to the record</h4>
      <label className="setting-check" htmlFor="setting-writeBack-enabled">
        <input
          {...fieldProps(issues, 'source.writeBack.enabled')}
          id="setting-writeBack-enabled"
          type="checkbox"
          checked={form.writeBackEnabled}
          onChange={(event) => onChange({ writeBackEnabled: event.currentTarget.checked })}
        />
        Write each story’s image status, address and score back to its AITable record
      </label>
      {form.writeBackEnabled && (
        <table className="field-table">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">AITable field</th>
              <th scope="col">Type</th>
              <th scope="col">Check</th>
            </tr>
          </thead>
          <tbody>
            {WRITE_BACK_ROLES.map((key) =>
              row(
                `source.writeBack.fields.${key}`,
                WRITE_LABEL[key],
                form.writeBack[key],
                (value) => onChange({ writeBack: { ...form.writeBack, [key]: value } }),
                null,
              ),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

function problemCount(checked: Checked): string {
  const bad = checked.roles.filter((entry) => !['ok', 'unset'].includes(entry.status) && !entry.path.startsWith('source.routing')).length;
  return bad === 0 ? 'every mapped field fits' : bad === 1 ? '1 field needs attention' : `${bad} fields need attention`;
}

function statusOf(entry: Role | null, checking: boolean, fieldKey: 'name' | 'id', found: string | undefined, use: (value: string) => void) {
  if (!entry) return <span className="muted small">{checking ? 'checking…' : '—'}</span>;
  if (entry.status === 'ok') return <span className="check-ok">✓ fits</span>;
  if (entry.status === 'unset') return <span className="muted small">not used</span>;
  const text =
    entry.status === 'missing'
      ? `No field “${entry.ref}” in the datasheet`
      : entry.status === 'wrong_type'
        ? `“${entry.ref}” is a ${found ?? 'different'} field; this needs ${(entry.expected ?? []).join(' or ')}`
        : entry.status === 'not_editable'
          ? 'This field cannot be written with this key'
          : `“${entry.ref}” is a field ${fieldKey === 'id' ? 'name' : 'id'}, but fields are named by ${fieldKey === 'id' ? 'id' : 'name'} here`;
  return (
    <span className="check-bad" data-testid={`field-problem-${entry.path}`}>
      {text}
      {entry.suggestion && (
        <>
          {' — '}
          <button
            type="button"
            className="link-btn"
            onClick={() => use(entry.suggestion as string)}
            data-testid={`use-suggestion-${entry.path}`}
          >
            did you mean “{entry.suggestion}”?
          </button>
        </>
      )}
    </span>
  );
}
