// The desk could not be used (at start, or after the board lost it): what went wrong and what to
// do next — try again, connect with another address or token, or let this computer run the pipeline.
import { useState } from 'react';
import type { DeskCheck, DesktopSetupBridge } from '../../../shared/desktop.ts';
import { DeskForm } from './DeskForm.tsx';
import './setup.css';

type Refused = Extract<DeskCheck, { status: 'refused' }>;

export function DeskProblem({
  setup,
  deskUrl,
  check,
  onRetry,
  overlay = false,
}: {
  setup: DesktopSetupBridge;
  deskUrl: string;
  check: Refused;
  onRetry(): void;
  overlay?: boolean;
}) {
  const [changing, setChanging] = useState(check.reason === 'token' || check.reason === 'address');
  return (
    <div className={overlay ? 'desk-problem-backdrop' : undefined}>
      <main
        className="first-run desk-problem"
        role={overlay ? 'alertdialog' : undefined}
        aria-labelledby="desk-problem-title"
        data-testid="desk-problem"
        data-reason={check.reason}
      >
        <h1 id="desk-problem-title">
          {check.reason === 'token' || check.reason === 'rate_limited'
            ? 'The newsroom desk did not let this board in'
            : 'This board cannot reach the newsroom desk'}
        </h1>
        <p className="muted">
          Desk: <code>{deskUrl}</code>
        </p>
        <p className="error-box" role="alert" data-testid="desk-problem-message">
          {check.message}
        </p>
        <div className="setup-actions">
          <button type="button" className="btn primary" onClick={onRetry} data-testid="desk-retry">
            Try again
          </button>
          <button type="button" className="btn" onClick={() => setChanging(true)} data-testid="desk-change">
            Use another address or token
          </button>
          <button type="button" className="btn ghost" onClick={() => void setup.switchToSolo()} data-testid="switch-to-solo">
            Switch to solo (run the pipeline here)
          </button>
        </div>
        {changing && <DeskForm setup={setup} initialUrl={deskUrl} />}
      </main>
    </div>
  );
}
