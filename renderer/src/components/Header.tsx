// App name, live/reconnecting state, the day's numbers, the reader link, API keys and "Add story".
import { useCallback, useRef, useState } from 'react';
import type { Columns } from '../board/ordering.ts';
import { formatCost } from '../format.ts';
import { useBoard } from '../store/context.ts';
import { AddStoryForm } from './AddStoryForm.tsx';
import { KeysPanel } from './KeysPanel.tsx';
import { LedgerPanel } from './LedgerPanel.tsx';

const CONNECTION_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

export function Header({ columns }: { columns: Columns }) {
  const connection = useBoard((s) => s.connection);
  const readerUrl = useBoard((s) => s.appInfo?.readerUrl ?? null);
  const checkNow = useBoard((s) => s.checkNow);
  const [adding, setAdding] = useState(false);
  const [ledgerOpen, setLedgerOpen] = useState(false);
  const spendRef = useRef<HTMLDivElement>(null);
  const spendButton = useRef<HTMLButtonElement>(null);
  const closeLedger = useCallback(({ restoreFocus = false } = {}) => {
    setLedgerOpen(false);
    if (restoreFocus) spendButton.current?.focus();
  }, []);
  const [keysOpen, setKeysOpen] = useState(false);
  const keysRef = useRef<HTMLDivElement>(null);
  const keysButton = useRef<HTMLButtonElement>(null);
  const closeKeys = useCallback(({ restoreFocus = false } = {}) => {
    setKeysOpen(false);
    if (restoreFocus) keysButton.current?.focus();
  }, []);
  const all = Object.values(columns).flat();
  const spent = all.reduce((sum, card) => sum + card.costUsd, 0);

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">H</span>
        <h1>Hero Desk</h1>
        <span className={`connection connection-${connection}`} data-testid="connection" data-state={connection}>
          <span className="dot" aria-hidden="true" />
          {CONNECTION_LABEL[connection]}
        </span>
      </div>
      <dl className="stats">
        <div>
          <dt>Stories</dt>
          <dd>{all.length}</dd>
        </div>
        <div>
          <dt>To review</dt>
          <dd className={columns.generated.length > 0 ? 'attention' : undefined}>{columns.generated.length}</dd>
        </div>
        <div>
          <dt>Published</dt>
          <dd>{columns.published.length}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={columns.failed.length > 0 ? 'danger' : undefined}>{columns.failed.length}</dd>
        </div>
      </dl>
      {/* The SPENT stat opens the day's ledger; a button cannot live inside the <dl>, so it follows it. */}
      <div className="spend" ref={spendRef}>
        <button
          ref={spendButton}
          type="button"
          className="spend-stat"
          data-testid="spend"
          aria-haspopup="dialog"
          aria-expanded={ledgerOpen}
          aria-controls={ledgerOpen ? 'ledger-panel' : undefined}
          title="Today's spend by tier"
          onClick={() => setLedgerOpen((open) => !open)}
        >
          <span className="spend-label">
            Spent <span aria-hidden="true">▾</span>
          </span>
          <span className="spend-value">{formatCost(spent)}</span>
        </button>
        {ledgerOpen && <LedgerPanel within={spendRef} onClose={closeLedger} />}
      </div>
      <nav className="header-actions">
        {readerUrl && (
          <a className="btn ghost" href={readerUrl} target="_blank" rel="noreferrer" data-testid="reader-link">
            Open reader page ↗
          </a>
        )}
        <div className="keys" ref={keysRef}>
          <button
            ref={keysButton}
            type="button"
            className="btn ghost"
            data-testid="keys"
            aria-haspopup="dialog"
            aria-expanded={keysOpen}
            aria-controls={keysOpen ? 'keys-panel' : undefined}
            title="API keys the integrations use"
            onClick={() => setKeysOpen((open) => !open)}
          >
            Keys
          </button>
          {keysOpen && <KeysPanel within={keysRef} onClose={closeKeys} />}
        </div>
        <button type="button" className="btn ghost" data-testid="check-now" title="Poll the source now" onClick={() => checkNow()}>
          Check now
        </button>
        <button type="button" className="btn primary" data-testid="add-story" onClick={() => setAdding((v) => !v)}>
          + Add story
        </button>
        {adding && (
          <div className="popover">
            <AddStoryForm onDone={() => setAdding(false)} />
          </div>
        )}
      </nav>
    </header>
  );
}
