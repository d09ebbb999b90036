// "Connect to the newsroom desk": the desk's address and the editor's personal token. Main checks
// the pair against the desk (desk-connection.ts) and keeps only an accepted one, the token in the
// system keychain; a refusal is shown here with its next step. On success the app restarts onto the desk.
import { useId, useState, type FormEvent } from 'react';
import type { DeskCheck, DesktopSetupBridge } from '../../../shared/desktop.ts';

export function DeskForm({ setup, initialUrl = '', onCancel }: { setup: DesktopSetupBridge; initialUrl?: string; onCancel?(): void }) {
  const id = useId();
  const [deskUrl, setDeskUrl] = useState(initialUrl);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<DeskCheck | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setAnswer(null);
    try {
      setAnswer(await setup.connectDesk({ deskUrl, token }));
    } catch (error) {
      setAnswer({
        status: 'refused',
        reason: 'unreachable',
        message: `Hero Desk could not check the desk: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="desk-form" onSubmit={(event) => void submit(event)} data-testid="desk-form" noValidate>
      <label htmlFor={`${id}-url`}>Desk address</label>
      <input
        id={`${id}-url`}
        type="url"
        inputMode="url"
        placeholder="https://desk.example.com"
        autoComplete="url"
        value={deskUrl}
        onChange={(e) => setDeskUrl(e.target.value)}
        data-testid="desk-url"
        required
      />
      <label htmlFor={`${id}-token`}>Your personal token</label>
      <input
        id={`${id}-token`}
        type="password"
        placeholder="hd1.…"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        data-testid="desk-token"
        required
      />
      <p className="muted small">
        Your desk admin gives you both (the token comes from <code>hero-desk users add NAME</code>). The token is kept in this computer’s
        keychain.
      </p>
      {answer?.status === 'refused' && (
        <p className="error-box" role="alert" data-testid="desk-error" data-reason={answer.reason}>
          {answer.message}
        </p>
      )}
      {answer?.status === 'ok' && (
        <p className="ok-box" role="status" data-testid="desk-ok">
          Connected{answer.actor ? ` as ${answer.actor.name} (${answer.actor.role})` : ''}. Hero Desk restarts onto the desk…
        </p>
      )}
      <div className="setup-actions">
        {onCancel && (
          <button type="button" className="btn ghost" onClick={onCancel}>
            Back
          </button>
        )}
        <button
          type="submit"
          className="btn primary"
          disabled={busy || deskUrl.trim() === '' || token.trim() === ''}
          data-testid="desk-connect"
        >
          {busy ? 'Checking the desk…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}
