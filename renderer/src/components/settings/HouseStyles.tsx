// House styles per section (the illustration and photo look, and what to avoid), and which section
// names share a style. Shipped styles can be changed or reset; the newsroom's own can be removed.
import { useState } from 'react';
import type { SettingsIssue, SettingsValues } from '../../../../shared/contract.ts';
import { FieldErrors, TextField, fieldProps } from './fields.tsx';
import { issuesAt, pathKey, type AliasForm, type StyleForm } from './form.ts';

interface HouseStylesProps {
  styles: StyleForm[];
  aliases: AliasForm[];
  defaults: SettingsValues['prompt'];
  issues: readonly SettingsIssue[];
  onStyles(styles: StyleForm[]): void;
  onAliases(aliases: AliasForm[]): void;
}

const BASE = 'prompt.houseStyles';

export function HouseStyles({ styles, aliases, defaults, issues, onStyles, onAliases }: HouseStylesProps) {
  const [newKey, setNewKey] = useState('');
  const update = (index: number, patch: Partial<StyleForm>) =>
    onStyles(styles.map((style, i) => (i === index ? { ...style, ...patch } : style)));
  const shipped = (key: string) => defaults.houseStyles[key];
  const changed = (style: StyleForm) => {
    const base = shipped(style.key);
    return !base || base.illustration !== style.illustration || (base.photo ?? '') !== style.photo || base.negative !== style.negative;
  };
  const addable = newKey.trim() !== '' && !styles.some((style) => style.key.toLowerCase() === newKey.trim().toLowerCase());
  return (
    <div className="house-styles">
      <ul className="style-list">
        {styles.map((style, index) => {
          const path = pathKey(BASE, style.key);
          const errors = issuesAt(issues, path).length;
          return (
            <li key={index} className="style-item" data-testid={`style-${style.key}`}>
              <details open={errors > 0 || undefined}>
                <summary>
                  <span className="style-key">{style.key || 'new section'}</span>
                  <span className="style-preview">{style.illustration}</span>
                  {!style.builtIn && <span className="tag">custom</span>}
                  {style.builtIn && changed(style) && <span className="tag tag-changed">changed</span>}
                  {style.photo === '' && <span className="tag">never photoreal</span>}
                  {errors > 0 && <span className="tag tag-error">{errors === 1 ? '1 mistake' : `${errors} mistakes`}</span>}
                </summary>
                <div className="style-fields">
                  <TextField
                    label="Illustration style"
                    path={`${path}.illustration`}
                    value={style.illustration}
                    issues={issues}
                    multiline
                    rows={3}
                    onChange={(value) => update(index, { illustration: value })}
                  />
                  <TextField
                    label="Photo style"
                    path={`${path}.photo`}
                    value={style.photo}
                    issues={issues}
                    multiline
                    rows={3}
                    placeholder="empty: never photoreal"
                    hint="Used only where story policy allows photoreal"
                    onChange={(value) => update(index, { photo: value })}
                  />
                  <TextField
                    label="Avoid"
                    path={`${path}.negative`}
                    value={style.negative}
                    issues={issues}
                    multiline
                    rows={3}
                    hint="Comma-separated"
                    onChange={(value) => update(index, { negative: value })}
                  />
                  <div className="style-actions">
                    {style.builtIn ? (
                      <button
                        type="button"
                        className="btn ghost small-btn"
                        disabled={!changed(style)}
                        onClick={() => {
                          const base = shipped(style.key);
                          if (base) update(index, { illustration: base.illustration, photo: base.photo ?? '', negative: base.negative });
                        }}
                      >
                        Reset to the shipped style
                      </button>
                    ) : (
                      <button type="button" className="btn ghost small-btn" onClick={() => onStyles(styles.filter((_, i) => i !== index))}>
                        Remove this style
                      </button>
                    )}
                  </div>
                  <FieldErrors issues={issues.filter((issue) => issue.path === path)} path={path} />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      <form
        className="inline-add"
        onSubmit={(event) => {
          event.preventDefault();
          if (!addable) return;
          onStyles([...styles, { key: newKey.trim(), illustration: '', photo: '', negative: '', builtIn: false }]);
          setNewKey('');
        }}
      >
        <label htmlFor="new-style-key">Add a style for a section</label>
        <input
          id="new-style-key"
          type="text"
          value={newKey}
          placeholder="e.g. property"
          autoComplete="off"
          onChange={(event) => setNewKey(event.currentTarget.value)}
        />
        <button type="submit" className="btn ghost small-btn" disabled={!addable}>
          Add style
        </button>
      </form>

      <h4 className="subhead">Section names that share a style</h4>
      <p className="setting-hint">A story’s section is looked up as written, then here, then the “default” style.</p>
      <ul className="alias-list">
        {aliases.map((alias, index) => {
          const path = pathKey('prompt.sectionAliases', alias.from);
          return (
            <li key={index} className="alias-item">
              <input
                type="text"
                aria-label="Section name"
                value={alias.from}
                disabled={alias.builtIn}
                onChange={(event) => onAliases(aliases.map((a, i) => (i === index ? { ...a, from: event.currentTarget.value } : a)))}
              />
              <span aria-hidden="true">→</span>
              <select
                {...fieldProps(issues, path)}
                aria-label={`Style for ${alias.from || 'this section'}`}
                value={alias.to}
                onChange={(event) => onAliases(aliases.map((a, i) => (i === index ? { ...a, to: event.currentTarget.value } : a)))}
              >
                {[...new Set([alias.to, ...styles.map((style) => style.key)])].map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
              {!alias.builtIn && (
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Remove the name ${alias.from}`}
                  onClick={() => onAliases(aliases.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              )}
              <FieldErrors issues={issues} path={path} />
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="btn ghost small-btn"
        onClick={() => onAliases([...aliases, { from: '', to: 'default', builtIn: false }])}
      >
        Add a section name
      </button>
    </div>
  );
}
