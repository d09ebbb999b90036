// Settings → Connection (desktop app only): what this board is connected to, and the way to change
// it — connect to a newsroom desk, switch to solo, or run the first-run setup again.
import { useEffect, useState } from 'react';
import type { DesktopConnection, DesktopSetupBridge } from '../../../shared/desktop.ts';
import { DeskForm } from './DeskForm.tsx';
import './setup.css';

export function ConnectionSettings({ setup, onSetupAgain }: { setup: DesktopSetupBridge; onSetupAgain(): void }) {
  const [connection, setConnection] = useState<DesktopConnection | null>(null);
  const [connecting, setConnecting] = useState(false);
  useEffect(() => {
    setup.connection().then(setConnection, () => setConnection(null));
  }, [setup]);
  if (connection === null) return <p className="muted">Loading…</p>;
  return (
    <div className="connection-settings" data-testid="connection-settings" data-mode={connection.mode}>
      {connection.mode === 'desk' ? (
        <p>
          Connected to the newsroom desk at <code data-testid="connected-desk">{connection.deskUrl}</code>
          {connection.check.status === 'ok' && connection.check.actor
            ? ` as ${connection.check.actor.name} (${connection.check.actor.role})`
            : ''}
          . The desk runs the pipeline; this computer only shows its board.
        </p>
      ) : (
        <p>This computer runs the pipeline (the demo until a config file is set up).</p>
      )}
      <div className="setup-actions">
        <button type="button" className="btn" onClick={() => setConnecting(true)} data-testid="connect-a-desk">
          {connection.mode === 'desk' ? 'Connect to another desk' : 'Connect to a desk'}
        </button>
        {connection.mode === 'desk' ? (
          <button type="button" className="btn" onClick={() => void setup.switchToSolo()} data-testid="settings-switch-to-solo">
            Switch to solo
          </button>
        ) : (
          <button type="button" className="btn" onClick={onSetupAgain} data-testid="setup-again">
            Set up this computer’s pipeline
          </button>
        )}
      </div>
      {connecting && (
        <DeskForm setup={setup} initialUrl={connection.mode === 'desk' ? connection.deskUrl : ''} onCancel={() => setConnecting(false)} />
      )}
    </div>
  );
}
