// "Run the pipeline on this computer": the AITable datasheet and its token, the image service and
// its key, storage and publishing. The core writes them into the config file (checked by the file's
// own validator, written atomically) and answers with the live field check and its mapping
// suggestions; the fields themselves are then mapped in Settings → AITable fields after a restart.
import { useId, useState, type FormEvent } from 'react';
import type { SettingsIssue, SoloSetup as SoloSetupAnswers, SoloSetupResult } from '../../../shared/contract.ts';
import { useBoard } from '../store/context.ts';

type Images = SoloSetupAnswers['images']['type'];
type Storage = SoloSetupAnswers['storage']['type'];
type Publisher = SoloSetupAnswers['publisher']['type'];

function answersOf(values: Record<string, string>, images: Images, storage: Storage, publisher: Publisher): SoloSetupAnswers {
  const v = (name: string) => values[name] ?? '';
  const key = (name: string) => (v(name) === '' ? undefined : v(name));
  return {
    datasheet: v('datasheet'),
    aitableToken: key('aitableToken'),
    images:
      images === 'openai'
        ? { type: 'openai', apiKey: key('openaiKey') }
        : images === 'workers-ai'
          ? { type: 'workers-ai', accountId: v('workersAccount'), apiToken: key('workersToken') }
          : { type: 'title-card' },
    storage:
      storage === 'r2'
        ? {
            type: 'r2',
            accountId: v('r2Account'),
            bucket: v('r2Bucket'),
            publicBaseUrl: v('r2Public'),
            accessKeyId: key('r2KeyId'),
            secretAccessKey: key('r2Secret'),
          }
        : { type: 'disk' },
    publisher: publisher === 'webhook' ? { type: 'webhook', url: v('webhookUrl'), signingSecret: key('webhookSecret') } : { type: 'relay' },
  };
}

export function SoloSetup({ onBack, onRestart }: { onBack(): void; onRestart(): void }) {
  const id = useId();
  const setupSolo = useBoard((s) => s.setupSolo);
  const [values, setValues] = useState<Record<string, string>>({});
  const [images, setImages] = useState<Images>('title-card');
  const [storage, setStorage] = useState<Storage>('disk');
  const [publisher, setPublisher] = useState<Publisher>('relay');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SoloSetupResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const issues: SettingsIssue[] = result?.status === 'invalid' ? result.issues : [];
  const text = (name: string, label: string, options: { secret?: boolean; placeholder?: string; hint?: string } = {}) => (
    <div className="setup-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={options.secret ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        placeholder={options.placeholder}
        value={values[name] ?? ''}
        onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
        data-testid={`setup-${name}`}
      />
      {options.hint && <p className="muted small">{options.hint}</p>}
    </div>
  );
  const choice = <T extends string>(legend: string, value: T, set: (next: T) => void, options: [T, string][]) => (
    <fieldset className="setup-choice">
      <legend>{legend}</legend>
      {options.map(([option, label]) => (
        <label key={option}>
          <input
            type="radio"
            name={`${id}-${legend}`}
            checked={value === option}
            onChange={() => set(option)}
            data-testid={`setup-${legend.toLowerCase().replace(/\W+/g, '-')}-${option}`}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      setResult(await setupSolo(answersOf(values, images, storage, publisher)));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  if (result?.status === 'saved') return <SetupSaved result={result} onRestart={onRestart} />;

  return (
    <form className="solo-setup" onSubmit={(event) => void submit(event)} data-testid="solo-setup" noValidate>
      <h2>Your stories</h2>
      {text('datasheet', 'AITable datasheet link', {
        placeholder: 'https://aitable.ai/workbench/dst…/viw…',
        hint: 'Open the datasheet in the browser and copy the address bar.',
      })}
      {text('aitableToken', 'AITable API token', {
        secret: true,
        hint: 'AITable → your avatar → Developer configuration. Kept in this computer’s keychain.',
      })}
      <h2>Images</h2>
      {choice('Image service', images, setImages, [
        ['title-card', 'Title cards (free, made on this computer)'],
        ['openai', 'OpenAI images'],
        ['workers-ai', 'Cloudflare Workers AI'],
      ])}
      {images === 'openai' && text('openaiKey', 'OpenAI API key', { secret: true })}
      {images === 'workers-ai' && (
        <>
          {text('workersAccount', 'Cloudflare account id')}
          {text('workersToken', 'Workers AI API token', { secret: true })}
        </>
      )}
      <h2>Storage and publishing</h2>
      {choice('Storage', storage, setStorage, [
        ['disk', 'This computer (served to readers on this network)'],
        ['r2', 'Cloudflare R2'],
      ])}
      {storage === 'r2' && (
        <>
          {text('r2Account', 'R2 account id')}
          {text('r2Bucket', 'Bucket')}
          {text('r2Public', 'Public address of the bucket', { placeholder: 'https://images.example.com' })}
          {text('r2KeyId', 'Access key id', { secret: true })}
          {text('r2Secret', 'Secret access key', { secret: true })}
        </>
      )}
      {choice('Publishing', publisher, setPublisher, [
        ['relay', 'The bundled reader relay'],
        ['webhook', 'A signed webhook to your site'],
      ])}
      {publisher === 'webhook' && (
        <>
          {text('webhookUrl', 'Webhook address', { placeholder: 'https://www.example.com/hooks/hero-images' })}
          {text('webhookSecret', 'Signing secret', { secret: true })}
        </>
      )}
      {issues.length > 0 && (
        <ul className="error-box setup-issues" role="alert" data-testid="setup-issues">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path && <code>{issue.path}</code>} {issue.message}
            </li>
          ))}
        </ul>
      )}
      {result?.status === 'conflict' && (
        <p className="error-box" role="alert">
          {result.message}
        </p>
      )}
      {failure && (
        <p className="error-box" role="alert" data-testid="setup-failure">
          Could not save the setup: {failure}
        </p>
      )}
      <div className="setup-actions">
        <button type="button" className="btn ghost" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="btn primary" disabled={busy} data-testid="setup-save">
          {busy ? 'Checking…' : 'Check and save'}
        </button>
      </div>
    </form>
  );
}

function SetupSaved({ result, onRestart }: { result: Extract<SoloSetupResult, { status: 'saved' }>; onRestart(): void }) {
  const check = result.fieldCheck;
  const open = check.status === 'checked' ? check.roles.filter((role) => role.status !== 'ok' && role.status !== 'unset') : [];
  return (
    <div className="solo-setup" data-testid="setup-saved">
      <h2>Saved</h2>
      <p>
        Written to <code>{result.configPath}</code>
        {result.keysSaved.length > 0 && <> · keys kept in the keychain: {result.keysSaved.join(', ')}</>}
      </p>
      {check.status === 'checked' && (
        <div data-testid="setup-field-check">
          <p>
            The datasheet answered with {check.fields.length} fields.{' '}
            {open.length === 0 ? 'Every mapped field was found.' : 'These need a look in Settings → AITable fields after the restart:'}
          </p>
          {open.length > 0 && (
            <ul className="setup-roles">
              {open.map((role) => (
                <li key={role.path} data-testid="setup-role">
                  <strong>{role.role}</strong>: {role.message}
                  {role.suggestion && <> — did you mean “{role.suggestion}”?</>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {check.status !== 'checked' && (
        <p className="warn-box" role="status" data-testid="setup-field-check">
          {check.status === 'unavailable' ? check.message : check.issues.map((issue) => issue.message).join('; ')}
        </p>
      )}
      <p className="muted small">The story source, storage and publishing start with Hero Desk: it restarts to use them.</p>
      <div className="setup-actions">
        <button type="button" className="btn primary" onClick={onRestart} data-testid="setup-restart">
          Restart Hero Desk
        </button>
      </div>
    </div>
  );
}
