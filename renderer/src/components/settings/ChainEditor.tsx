// One tier's provider chain: tried in order until one makes an image.
import { useState } from 'react';
import type { SettingsIssue, SettingsView } from '../../../../shared/contract.ts';
import { FieldErrors, fieldId } from './fields.tsx';

interface ChainEditorProps {
  tierLabel: string;
  path: string;
  providers: string[];
  choices: SettingsView['providers'];
  issues: readonly SettingsIssue[];
  onChange(providers: string[]): void;
}

export function ChainEditor({ tierLabel, path, providers, choices, issues, onChange }: ChainEditorProps) {
  const unused = choices.filter((choice) => !providers.includes(choice.name));
  const [adding, setAdding] = useState('');
  const pick = unused.some((choice) => choice.name === adding) ? adding : (unused[0]?.name ?? '');
  const typeOf = (name: string) => choices.find((choice) => choice.name === name);
  const move = (from: number, to: number) => {
    const next = [...providers];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item as string);
    onChange(next);
  };
  return (
    <div className="chain" data-path={path} id={fieldId(path)} tabIndex={-1}>
      <ol className="chain-list" aria-label={`${tierLabel} provider chain, in the order tried`}>
        {providers.map((name, index) => {
          const choice = typeOf(name);
          return (
            <li key={`${name}-${index}`} className="chain-item" data-testid={`chain-${path}-${name}`}>
              <span className="chain-step" aria-hidden="true">
                {index + 1}
              </span>
              <span className="chain-name">
                {name}
                {choice && choice.type !== name && <span className="chain-type">{choice.type}</span>}
                {choice && !choice.usable && <span className="chain-type chain-later">after restart</span>}
              </span>
              <span className="chain-buttons">
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Move ${name} up in ${tierLabel}`}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Move ${name} down in ${tierLabel}`}
                  disabled={index === providers.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Remove ${name} from ${tierLabel}`}
                  onClick={() => onChange(providers.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </span>
            </li>
          );
        })}
        {providers.length === 0 && <li className="chain-empty">No provider yet</li>}
      </ol>
      {unused.length > 0 && (
        <div className="chain-add">
          <select aria-label={`Provider to add to ${tierLabel}`} value={pick} onChange={(event) => setAdding(event.currentTarget.value)}>
            {unused.map((choice) => (
              <option key={choice.name} value={choice.name}>
                {choice.name}
                {choice.type !== choice.name ? ` (${choice.type})` : ''}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn ghost small-btn"
            onClick={() => pick && onChange([...providers, pick])}
            data-testid={`chain-add-${path}`}
          >
            Add
          </button>
        </div>
      )}
      <FieldErrors issues={issues} path={path} />
    </div>
  );
}
