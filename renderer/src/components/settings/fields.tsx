// Inputs of the settings screen: each names the config path it edits (data-path), and shows the
// validator's words for that path right under it, linked for screen readers.
import type { ReactNode } from 'react';
import type { SettingsIssue } from '../../../../shared/contract.ts';
import { friendly, issuesAt } from './form.ts';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const fieldId = (path: string) => `setting-${path.replace(/[^\w-]+/g, '_')}`;
const errorId = (path: string) => `${fieldId(path)}-error`;

export function FieldErrors({ issues, path }: { issues: readonly SettingsIssue[]; path: string }) {
  const here = issuesAt(issues, path);
  if (here.length === 0) return null;
  return (
    <ul className="field-errors" id={errorId(path)} data-testid={`error-${path}`}>
      {here.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>
          {issue.path !== path && <span className="field-error-at">{issue.path.slice(path.length).replace(/^\./, '')}: </span>}
          {sentence(friendly(issue.message))}
        </li>
      ))}
    </ul>
  );
}

/** Attributes that tie an input to its path and its errors. */
export function fieldProps(issues: readonly SettingsIssue[], path: string, hintId?: string) {
  const invalid = issuesAt(issues, path).length > 0;
  const describedBy = [invalid ? errorId(path) : null, hintId ?? null].filter(Boolean).join(' ') || undefined;
  return { id: fieldId(path), 'data-path': path, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy };
}

interface TextFieldProps {
  label: ReactNode;
  path: string;
  value: string;
  issues: readonly SettingsIssue[];
  onChange(value: string): void;
  hint?: ReactNode;
  placeholder?: string;
  /** Numbers are typed as text so a wrong entry stays visible; the keyboard still offers digits. */
  numeric?: boolean;
  multiline?: boolean;
  rows?: number;
  list?: string;
  className?: string;
}

export function TextField({
  label,
  path,
  value,
  issues,
  onChange,
  hint,
  placeholder,
  numeric,
  multiline,
  rows = 2,
  list,
  className,
}: TextFieldProps) {
  const hintId = hint ? `${fieldId(path)}-hint` : undefined;
  const props = {
    ...fieldProps(issues, path, hintId),
    value,
    placeholder,
    onChange: (event: { currentTarget: { value: string } }) => onChange(event.currentTarget.value),
  };
  return (
    <div className={`setting-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={fieldId(path)}>{label}</label>
      {multiline ? (
        <textarea {...props} rows={rows} spellCheck />
      ) : (
        <input
          {...props}
          type="text"
          inputMode={numeric ? 'decimal' : undefined}
          autoComplete="off"
          spellCheck={!numeric && !list}
          list={list}
        />
      )}
      {hint && (
        <p className="setting-hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldErrors issues={issues} path={path} />
    </div>
  );
}

/** "Applied at once" or "after a restart", next to a section's title. */
export function ApplyBadge({ when }: { when: 'now' | 'restart' }) {
  return when === 'now' ? (
    <span className="apply-badge apply-now">Applied at once</span>
  ) : (
    <span className="apply-badge apply-restart">Applied after a restart</span>
  );
}
