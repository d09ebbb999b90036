// App name, live/reconnecting state, open problems, the day's numbers (following the filter), how
// many stories are past their deadline, the queue (running or paused), notifications, the keyboard
// map, the reader link, API keys, the colour theme and "Add story". A refused token gets a banner that says what to do.
import { useRef, useState } from 'react';
import { lateIn } from '../board/deadline.ts';
import { useNow } from '../clock.ts';
import { formatCost } from '../format.ts';
import { keyLabel } from '../keymap.ts';
import { useNotifyControl } from '../notifications.ts';
import { columnTotal } from '../store/board-store.ts';
import { useBoard } from '../store/context.ts';
import { keysStore, useKeyFor } from '../store/keys-store.ts';
import { AddStoryForm } from './AddStoryForm.tsx';
import { HeaderPopover } from './HeaderPopover.tsx';
import { KeysPanel } from './KeysPanel.tsx';
import { AuditPanel } from './AuditPanel.tsx';
import { OnlineList } from './Presence.tsx';
import { LedgerPanel } from './LedgerPanel.tsx';
import { ProblemsIndicator } from './ProblemsIndicator.tsx';
import { QueueControl } from './QueueControl.tsx';
import { SettingsScreen } from './settings/SettingsScreen.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';
import { inBackground } from '../in-background.ts';

const CONNECTION_LABEL = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Access expired',
} as const;

function LateStat() {
  const now = useNow();
  const late = useBoard((s) => Object.values(s.view).reduce((n, list) => n + lateIn(list, s.cards, now), 0));
  return (
    <div title="Stories past their tier's deadline">
      <dt>Late</dt>
      <dd className={late > 0 ? 'danger' : undefined} data-testid="stat-late">
        {late}
      </dd>
    </div>
  );
}

function Stats() {
  const filtering = useBoard((s) => s.view !== s.columns);
  const stories = useBoard((s) =>
    filtering
      ? Object.values(s.view).reduce((n, list) => n + list.length, 0)
      : Object.keys(s.columns).reduce((n, id) => n + columnTotal(s, id as keyof typeof s.columns), 0),
  );
  const review = useBoard((s) => s.view.generated.length);
  const published = useBoard((s) => (filtering ? s.view.published.length : columnTotal(s, 'published')));
  const failed = useBoard((s) => (filtering ? s.view.failed.length : columnTotal(s, 'failed')));
  return (
    <dl className="stats" data-testid="stats">
      <div className="stat-optional">
        <dt>{filtering ? 'Shown' : 'Stories'}</dt>
        <dd data-testid="stat-stories">{stories}</dd>
      </div>
      <div>
        <dt>To review</dt>
        <dd className={review > 0 ? 'attention' : undefined} data-testid="stat-review">
          {review}
        </dd>
      </div>
      <LateStat />
      <div className="stat-optional">
        <dt>Published</dt>
        <dd>{published}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd className={failed > 0 ? 'danger' : undefined}>{failed}</dd>
      </div>
    </dl>
  );
}

function NotifyButton() {
  const { state, toggle } = useNotifyControl();
  if (state === 'unsupported') return null;
  const label = { ask: 'Notify me', on: 'Notifications on', muted: 'Notifications off', blocked: 'Notifications blocked' }[state];
  const title = {
    ask: 'Get a browser notification when a breaking story is ready for review or something fails',
    on: 'You get a notification when a breaking story is ready or something fails; click to mute',
    muted: 'Muted; click to get notifications again',
    blocked: "This browser blocks notifications for the board; allow them in the site's settings",
  }[state];
  return (
    <button
      type="button"
      className="btn ghost notify"
      data-testid="notify"
      data-state={state}
      title={title}
      aria-label={label}
      aria-pressed={state === 'on' ? true : state === 'muted' ? false : undefined}
      disabled={state === 'blocked'}
      onClick={toggle}
    >
      <svg
        width="16"
        height="16"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        {state === 'muted' || state === 'blocked' ? <path d="M3 3l18 18" /> : null}
      </svg>
    </button>
  );
}

function Spent() {
  return useBoard((s) => formatCost(s.summary.spentUsd));
}

/** The token was refused: reconnecting cannot help, the board URL from this run of Hero Desk does. */
function AccessBanner() {
  const connection = useBoard((s) => s.connection);
  if (connection !== 'unauthorized') return null;
  return (
    <div className="access-banner" role="alert" data-testid="access-banner">
      <strong>This board link no longer works.</strong> Hero Desk was restarted and made a new access token, or your account was revoked.
      Open the <em>Board</em> URL that <code>hero-desk start</code> printed (it ends in <code>#token=…</code>), or ask an admin for a new
      personal token; nothing you approve here reaches Hero Desk until then.
    </div>
  );
}

/** A viewer's account reads the board; the core refuses their decisions, so say so up front. */
function ViewerBanner() {
  const actor = useBoard((s) => s.appInfo?.actor ?? null);
  if (actor?.role !== 'viewer') return null;
  return (
    <div className="access-banner viewer-banner" role="status" data-testid="viewer-banner">
      Signed in as <strong>{actor.name}</strong> with a viewer account: you can read every story, but approving, rejecting and editing need
      an editor account (ask an admin).
    </div>
  );
}

export function Header() {
  const connection = useBoard((s) => s.connection);
  const readerUrl = useBoard((s) => s.appInfo?.readerUrl ?? null);
  const checkNow = useBoard((s) => s.checkNow);
  const helpKey = useKeyFor('help');
  const [adding, setAdding] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settingsButton = useRef<HTMLButtonElement>(null);

  return (
    <>
      <AccessBanner />
      <ViewerBanner />
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            H
          </span>
          <h1>Hero Desk</h1>
          <span className={`connection connection-${connection}`} data-testid="connection" data-state={connection}>
            <span className="dot" aria-hidden="true" />
            {CONNECTION_LABEL[connection]}
          </span>
          <ProblemsIndicator />
          <OnlineList />
        </div>
        <Stats />
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
              <span className="spend-value">
                <Spent />
              </span>
            </>
          }
          panel={LedgerPanel}
        />
        <QueueControl />
        <nav className="header-actions" aria-label="Board actions">
          <NotifyButton />
          <button
            type="button"
            className="btn ghost"
            data-testid="keyboard-help"
            title="Keyboard shortcuts"
            aria-keyshortcuts={helpKey}
            onClick={() => keysStore.getState().setMapOpen(true)}
          >
            <span className="sr-only">Keyboard shortcuts</span>
            <kbd aria-hidden="true">{keyLabel(helpKey)}</kbd>
          </button>
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
          <HeaderPopover
            wrapperClass="audit"
            buttonClass="btn ghost"
            testId="audit"
            panelId="audit-panel"
            title="Who did what on this desk"
            button="Audit"
            panel={AuditPanel}
          />
          <ThemeSwitch />
          <button
            ref={settingsButton}
            type="button"
            className="btn ghost"
            data-testid="open-settings"
            aria-haspopup="dialog"
            title="Settings"
            onClick={() => setSettingsOpen(true)}
          >
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
          <button
            type="button"
            className="btn ghost"
            data-testid="check-now"
            title="Poll the source now"
            onClick={inBackground(() => checkNow())}
          >
            <span className="check-now-icon" aria-hidden="true">
              ⟳
            </span>
            <span className="check-now-word">Check now</span>
          </button>
          <button type="button" className="btn primary" data-testid="add-story" onClick={() => setAdding((v) => !v)}>
            + Add<span className="add-story-word"> story</span>
          </button>
          {adding && (
            <div className="popover">
              <AddStoryForm onDone={() => setAdding(false)} />
            </div>
          )}
        </nav>
      </header>
    </>
  );
}
