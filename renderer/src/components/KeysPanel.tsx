// The API keys the configured integrations use, opened from the header's "Keys" button: where each
// comes from, and a write-only field to save or remove it. Values only ever travel from the input to
// the core: the inputs are uncontrolled (no value attribute in the DOM) and are emptied on Save.
import { ExampleConfig } from '../setup/ExampleConfig.tsx';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SecretsStatus } from '../../../shared/contract.ts';
import { useBoard } from '../store/context.ts';
import { useLatestLoad, usePopoverDismiss, type PopoverProps } from './popover.ts';
import { PopoverPanel } from './PopoverPanel.tsx';

type Secret = SecretsStatus['secrets'][number];

type KeysPanelProps = PopoverProps;

/** Mirrors the core's envName(): the variable a headless run (or a read-only store) reads a key from. */
function envVarFor(name: string): string {
  return `HERO_DESK_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

function statusLabel(source: Secret['source']): string {
  return source === null ? 'not set' : `set · ${source}`;
}

interface KeyRowProps {
  secret: Secret;
  writable: boolean;
  /** 'ipc' is the desktop app (keychain wins over the environment); 'web' is headless (environment wins). */
  transport: 'ipc' | 'web' | null;
  busy: boolean;
  onSave(name: string, value: string | null): void;
}

function KeyRow({ secret, writable, transport, busy, onSave }: KeyRowProps) {
  const { name, source } = secret;
  const input = useRef<HTMLInputElement>(null);
  const [filled, setFilled] = useState(false);
  const envVar = envVarFor(name);

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value === '') return;
    const value = field.value;
    field.value = ''; // gone from the page before the request is even sent
    setFilled(false);
    onSave(name, value);
  }

  const code = <code>{envVar}</code>;
  let note: ReactNode = null;
  if (source === 'environment' && !writable) note = <>Read from {code} in the environment.</>;
  else if (source === 'environment' && transport === 'ipc')
    note = <>Using {code} from the environment; a key saved here takes its place.</>;
  else if (source === 'environment') note = <>{code} is set in the environment and wins over a key saved here.</>;
  else if (!writable) note = <>Set {code} in the environment.</>;

  return (
    <li className="key-row" data-testid={`secret-${name}`} data-source={source ?? 'none'}>
      <div className="key-line">
        <span className="key-name">{name}</span>
        <span className={`key-status ${source === null ? 'key-unset' : 'key-set'}`} data-testid={`secret-status-${name}`}>
          {statusLabel(source)}
        </span>
      </div>
      {note && <p className="muted small key-note">{note}</p>}
      <form className="key-form" onSubmit={submit} aria-label={`Key ${name}`}>
        <input
          ref={input}
          type="password"
          name={`secret-${name}`}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          placeholder={!writable ? '' : source === null ? 'Paste key' : 'Paste a new key to replace it'}
          aria-label={`New value for ${name}`}
          maxLength={10_000}
          disabled={!writable || busy}
          data-testid={`secret-input-${name}`}
          onInput={(event) => setFilled(event.currentTarget.value !== '')}
        />
        <button type="submit" className="btn primary" data-testid={`secret-save-${name}`} disabled={!writable || busy || !filled}>
          Save
        </button>
        {writable && (source === 'keychain' || source === 'file') && (
          <button
            type="button"
            className="btn reject"
            data-testid={`secret-remove-${name}`}
            disabled={busy}
            onClick={() => onSave(name, null)}
          >
            Remove
          </button>
        )}
      </form>
    </li>
  );
}

export function KeysPanel({ within, onClose }: KeysPanelProps) {
  const loadSecrets = useBoard((s) => s.loadSecrets);
  const saveSecret = useBoard((s) => s.saveSecret);
  const transport = useBoard((s) => s.appInfo?.transport ?? null);
  const { value: status, error, load } = useLatestLoad(loadSecrets);
  const [busy, setBusy] = useState<string | null>(null);

  usePopoverDismiss({ within, onClose });

  async function save(name: string, value: string | null) {
    setBusy(name);
    await saveSecret(name, value);
    setBusy(null);
    load();
  }

  const secrets = status?.secrets ?? [];
  return (
    <PopoverPanel id="keys-panel" title={'API keys'} aside="write-only" within={within} onClose={onClose}>
      {error && (
        <p className="error-box" role="alert">
          Could not load keys: {error}
        </p>
      )}
      {!status && !error && <p className="muted small">Loading…</p>}
      {status && secrets.length === 0 && (
        <p className="muted keys-empty" data-testid="keys-empty">
          No integrations that need keys are configured. The built-in demo runs without any; to connect your own services, <ExampleConfig />
          .
        </p>
      )}
      {status && !status.writable && secrets.length > 0 && (
        <p className="keys-readonly" data-testid="keys-readonly">
          Keys cannot be saved on this machine. Provide them through the environment as <code>HERO_DESK_SECRET_&lt;NAME&gt;</code> and
          restart Hero Desk.
        </p>
      )}
      {secrets.length > 0 && (
        <ul className="keys-list">
          {secrets.map((secret) => (
            <KeyRow
              key={secret.name}
              secret={secret}
              writable={status?.writable ?? false}
              transport={transport}
              busy={busy === secret.name}
              onSave={(name, value) => void save(name, value)}
            />
          ))}
        </ul>
      )}
      {status?.writable && secrets.length > 0 && (
        <p className="muted small">Saved keys are never shown again. After a change Hero Desk re-checks its integrations.</p>
      )}
    </PopoverPanel>
  );
}
