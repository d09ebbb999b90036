// App name, live/reconnecting state, open problems, the day's numbers, the reader link, API keys and "Add story".
import { useRef, useState } from 'react';
import type { Columns } from '../board/ordering.ts';
import { formatCost } from '../format.ts';
import { useBoard } from '../store/context.ts';
import { AddStoryForm } from './AddStoryForm.tsx';
import { HeaderPopover } from './HeaderPopover.tsx';
import { KeysPanel } from './KeysPanel.tsx';
import { LedgerPanel } from './LedgerPanel.tsx';
import { ProblemsIndicator } from './ProblemsIndicator.tsx';
import { SettingsScreen } from './settings/SettingsScreen.tsx';

const CONNECTION_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

export function Header({ columns }: { columns: Columns }) {
  const connection = useBoard((s) => s.connection);
  const readerUrl = useBoard((s) => s.appInfo?.readerUrl ?? null);
  const checkNow = useBoard((s) => s.checkNow);
  const [adding, setAdding] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settingsButton = useRef<HTMLButtonElement>(null);
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
        <ProblemsIndicator />
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
      <HeaderPopover
        wrapperClass="spend"
        buttonClass="spend-stat"
        testId="spend"
        panelId="ledger-panel"
        title="Today's spend by tier"
        button={
          <>
            <span className="spend-label">
              Spent <span aria-hidden="true">▾</span>
            </span>
            <span className="spend-value">{formatCost(spent)}</span>
          </>
        }
        panel={LedgerPanel}
      />
      <nav className="header-actions">
        {readerUrl && (
          <a className="btn ghost" href={readerUrl} target="_blank" rel="noreferrer" data-testid="reader-link">
            <span className="wide-only">Open reader page</span>
            <span className="narrow-only">Reader</span> ↗
          </a>
        )}
        <HeaderPopover
          wrapperClass="keys"
          buttonClass="btn ghost"
          testId="keys"
          panelId="keys-panel"
          title="API keys the integrations use"
          button="Keys"
          panel={KeysPanel}
        />
        <button ref={settingsButton} type="button" className="btn ghost" data-testid="open-settings" aria-haspopup="dialog" title="Settings" onClick={() => setSettingsOpen(true)}>
          <span className="settings-gear" aria-hidden="true">
            ⚙
          </span>
          <span className="settings-word">Settings</span>
        </button>
        {settingsOpen && (
          <SettingsScreen
            onClose={() => {
              setSettingsOpen(false);
              requestAnimationFrame(() => settingsButton.current?.focus()); // once the board is no longer inert
            }}
          />
        )}
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
