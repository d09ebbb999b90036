// The settings screen: what an editor or admin changes at work — tiers, thresholds, deadlines and
// budgets, story policy and house styles, the AITable field mapping (checked live) and the keys.
// Saved to the config file through the core, which validates it with the file's own schema; the
// answer says what is in effect now and what waits for a restart.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { KeysPanel } from '../KeysPanel.tsx';
import { ConnectionSettings } from '../../setup/ConnectionSettings.tsx';
import { ExampleConfig } from '../../setup/ExampleConfig.tsx';
import { SoloSetup } from '../../setup/SoloSetup.tsx';
import { HeaderPopover } from '../HeaderPopover.tsx';
import { ApplyBadge } from './fields.tsx';
import { friendly, unplacedIssues, type SettingsForm } from './form.ts';
import { HouseStyles } from './HouseStyles.tsx';
import { PolicySettings } from './PolicySettings.tsx';
import { SourceFields } from './SourceFields.tsx';
import { TierSettings } from './TierSettings.tsx';
import { useSettings, type SaveOutcome } from './use-settings.ts';
import './settings.css';

// the desktop app adds where its board is connected (a desk, or this computer)
const CONNECTION_SECTION = [['connection', 'Connection']] as const;
const SECTIONS = [
  ['tiers', 'Tiers and budgets'],
  ['policy', 'Story policy'],
  ['styles', 'House styles'],
  ['source', 'AITable fields'],
  ['keys', 'Keys'],
] as const;

export function SettingsScreen({ onClose }: { onClose(): void }) {
  const settings = useSettings();
  const { view, form, issues, dirty, outcome } = settings;
  const [confirmClose, setConfirmClose] = useState(false);
  const [soloSetup, setSoloSetup] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const main = useRef<HTMLDivElement>(null);

  const close = () => (dirty ? setConfirmClose(true) : onClose());
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  });

  // the board behind is out of reach while settings are open (no shortcuts, no focus, no screen reader)
  useEffect(() => {
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    dialog.current?.focus();
    function onKey(event: KeyboardEvent) {
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('.popover')) return; // the Keys panel handles its own Esc
      event.stopPropagation();
      if (event.key === 'Escape') closeRef.current();
    }
    window.addEventListener('keydown', onKey, true);
    return () => {
      root?.removeAttribute('inert');
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);

  const update = (patch: Partial<SettingsForm>) => settings.setForm((current) => (current ? { ...current, ...patch } : current));
  const jumpTo = (id: string) => main.current?.querySelector(`#settings-${id}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  const firstInvalid = () =>
    main.current
      ?.querySelector<HTMLElement>('[aria-invalid="true"], .field-errors')
      ?.closest('.setting-field, td, .chain, details, li')
      ?.querySelector<HTMLElement>('input, select, textarea, [tabindex]');

  async function save(baseRevision?: string | null) {
    const result = await settings.save(baseRevision === undefined ? undefined : baseRevision);
    if (result?.status === 'invalid') requestAnimationFrame(() => firstInvalid()?.focus());
  }

  const hasSource = !!form?.source;
  const elsewhere = unplacedIssues(issues, hasSource);
  const errorCount = issues.length;

  return createPortal(
    <div className="settings-backdrop">
      <div
        ref={dialog}
        className="settings"
        role="dialog"
        aria-modal="true"
        aria-labelledby="settings-title"
        tabIndex={-1}
        data-testid="settings"
      >
        <header className="settings-head">
          <div>
            <h2 id="settings-title">Settings</h2>
            {view && (
              <p className="muted small" data-testid="settings-path">
                Saved to <code>{view.configPath}</code>
                {view.revision === null && ' (created on the first save)'}
              </p>
            )}
          </div>
          <button type="button" className="btn ghost" onClick={close} data-testid="settings-close">
            Close
          </button>
        </header>
        <div className="settings-body">
          <nav className="settings-nav" aria-label="Settings sections">
            <ul>
              {[...(window.heroDeskSetup ? CONNECTION_SECTION : []), ...SECTIONS].map(([id, label]) => (
                <li key={id}>
                  <button type="button" onClick={() => jumpTo(id)}>
                    {label}
                    {sectionErrors(issues, id) > 0 && <span className="nav-count">{sectionErrors(issues, id)}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="settings-main" ref={main}>
            {settings.loadError && (
              <p className="error-box" role="alert">
                Could not load the settings: {settings.loadError}.{' '}
                <button type="button" className="link-btn" onClick={settings.load}>
                  Try again
                </button>
              </p>
            )}
            {!view && !settings.loadError && <p className="muted">Loading…</p>}
            {view && form && (
              <>
                <Banners
                  view={view}
                  outcome={outcome}
                  elsewhere={elsewhere}
                  saving={settings.saving}
                  onSaveInto={(revision) => void save(revision)}
                  onTakeFile={settings.takeFileVersion}
                  onReload={settings.load}
                  onDismiss={settings.clearOutcome}
                />
                {window.heroDeskSetup && (
                  <Section
                    id="connection"
                    title="Connection"
                    when="restart"
                    intro="Where this board’s stories come from: this computer’s own pipeline, or the newsroom desk everyone shares. A change restarts Hero Desk."
                  >
                    {soloSetup ? (
                      <SoloSetup
                        onBack={() => setSoloSetup(false)}
                        onRestart={() => void window.heroDeskSetup?.chooseSolo().then(() => window.heroDeskSetup?.restart())}
                      />
                    ) : (
                      <ConnectionSettings setup={window.heroDeskSetup} onSetupAgain={() => setSoloSetup(true)} />
                    )}
                  </Section>
                )}
                <Section
                  id="tiers"
                  title="Tiers and budgets"
                  when="now"
                  intro="Each story goes to a tier (breaking news first). New jobs use these at once; jobs already waiting keep the deadline they were given."
                >
                  <TierSettings
                    form={form}
                    issues={issues}
                    providers={view.providers}
                    onTier={(tier, patch) => update({ tiers: { ...form.tiers, [tier]: { ...form.tiers[tier], ...patch } } })}
                    onOverride={(value) => update({ breakingBudgetOverride: value })}
                  />
                </Section>
                <Section
                  id="policy"
                  title="Story policy"
                  when="now"
                  intro="What imagery a story may get. Newsroom rule: AI images are illustrations, never a photoreal depiction of a real event or person in hard news."
                >
                  <PolicySettings form={form} issues={issues} onChange={update} />
                </Section>
                <Section
                  id="styles"
                  title="House styles"
                  when="now"
                  intro="The look of each section’s images. Changes apply to the next image made."
                >
                  <HouseStyles
                    styles={form.styles}
                    aliases={form.aliases}
                    defaults={view.defaults.prompt}
                    issues={issues}
                    onStyles={(styles) => update({ styles })}
                    onAliases={(aliases) => update({ aliases })}
                  />
                </Section>
                <Section
                  id="source"
                  title="AITable fields"
                  when="restart"
                  intro="Which datasheet fields mean what, and what is written back. Checked against the datasheet as you edit; saved changes apply after a restart."
                >
                  {form.source && view.source?.type === 'aitable' ? (
                    <SourceFields
                      form={form.source}
                      connection={view.source}
                      check={settings.fieldCheck}
                      checking={settings.checking}
                      issues={issues}
                      onChange={(patch) => update({ source: form.source && { ...form.source, ...patch } })}
                      onCheck={settings.runFieldCheck}
                    />
                  ) : (
                    <p className="muted" data-testid="source-not-aitable">
                      The stories come from the embedded demo datasheet. To use the newsroom’s AITable, set <code>source.type</code> to{' '}
                      <code>"aitable"</code> with its <code>datasheetId</code> in the config file and restart (to write it:{' '}
                      <ExampleConfig />
                      ); its fields are mapped here.
                    </p>
                  )}
                </Section>
                <Section
                  id="keys"
                  title="Keys"
                  when="now"
                  intro="API keys are never stored in the config file, which only names them. Saved keys are not shown again."
                >
                  <HeaderPopover
                    wrapperClass="settings-keys"
                    buttonClass="btn ghost"
                    testId="settings-keys"
                    panelId="keys-panel"
                    title="API keys the integrations use"
                    button="Open the Keys panel"
                    panel={KeysPanel}
                  />
                </Section>
              </>
            )}
          </div>
        </div>
        <footer className="settings-foot">
          <p className="settings-state" role="status" aria-live="polite" data-testid="settings-state">
            {settings.saving
              ? 'Saving…'
              : errorCount > 0
                ? `${errorCount === 1 ? '1 mistake' : `${errorCount} mistakes`} to fix before saving`
                : dirty
                  ? 'Unsaved changes'
                  : outcome?.kind === 'saved'
                    ? savedSummary(outcome)
                    : 'No unsaved changes'}
          </p>
          {confirmClose ? (
            <div className="confirm-close" role="alert">
              <span>Discard your unsaved changes?</span>
              <button type="button" className="btn reject" onClick={onClose} data-testid="settings-discard">
                Discard
              </button>
              <button type="button" className="btn ghost" onClick={() => setConfirmClose(false)}>
                Keep editing
              </button>
            </div>
          ) : (
            <div className="foot-buttons">
              <button
                type="button"
                className="btn ghost"
                disabled={!dirty || settings.saving}
                onClick={() => view && settings.takeFileVersion(view)}
                data-testid="settings-revert"
              >
                Undo my changes
              </button>
              <button
                type="button"
                className="btn primary"
                disabled={!form || settings.saving || (!dirty && !(view && liveAhead(view)) && outcome?.kind !== 'error')}
                onClick={() => void save()}
                data-testid="settings-save"
              >
                Save
              </button>
            </div>
          )}
        </footer>
      </div>
    </div>,
    document.body,
  );
}

function savedSummary(outcome: Extract<SaveOutcome, { kind: 'saved' }>): string {
  if (!outcome.written && outcome.applied.length === 0) return 'Saved: nothing changed';
  const now = outcome.applied.length > 0 ? `${outcome.applied.length} in effect now` : null;
  const later = outcome.needsRestart.length > 0 ? `restart Hero Desk to apply ${outcome.needsRestart.length}` : null;
  return `Saved: ${[now, later].filter(Boolean).join('; ') || 'written to the file'}`;
}

/** The file holds values the core can apply now but does not use yet (edited by hand since the start). */
function liveAhead(view: NonNullable<ReturnType<typeof useSettings>['view']>): boolean {
  const live = (values: typeof view.running) => JSON.stringify([values.tiers, values.prompt, values.breakingBudgetOverride]);
  return view.saved !== null && live(view.saved) !== live(view.running);
}

function sectionErrors(issues: readonly { path: string }[], section: string): number {
  const prefix: Record<string, RegExp> = {
    tiers: /^(tiers|breakingBudgetOverride)/,
    policy: /^prompt\.(policy|baseNegative|illustrationNegative|maxSummaryChars)/,
    styles: /^prompt\.(houseStyles|sectionAliases)/,
    source: /^source/,
    keys: /^$/,
  };
  return issues.filter((issue) => prefix[section]?.test(issue.path) && issue.path !== '').length;
}

function Section({
  id,
  title,
  when,
  intro,
  children,
}: {
  id: string;
  title: string;
  when: 'now' | 'restart';
  intro: string;
  children: ReactNode;
}) {
  return (
    <section className="settings-section" id={`settings-${id}`} aria-labelledby={`settings-${id}-title`}>
      <div className="section-head">
        <h3 id={`settings-${id}-title`}>{title}</h3>
        <ApplyBadge when={when} />
      </div>
      <p className="section-intro">{intro}</p>
      {children}
    </section>
  );
}

interface BannersProps {
  view: NonNullable<ReturnType<typeof useSettings>['view']>;
  outcome: SaveOutcome | null;
  elsewhere: { path: string; message: string }[];
  saving: boolean;
  onSaveInto(revision: string | null): void;
  onTakeFile(settings: NonNullable<ReturnType<typeof useSettings>['view']>): void;
  onReload(): void;
  onDismiss(): void;
}

function Banners({ view, outcome, elsewhere, saving, onSaveInto, onTakeFile, onReload, onDismiss }: BannersProps) {
  return (
    <div className="banners">
      {view.fileError && (
        <div className="banner banner-error" role="alert" data-testid="settings-file-error">
          <strong>The config file cannot be used.</strong> {view.fileError}.{' '}
          <button type="button" className="link-btn" onClick={onReload}>
            Reload settings
          </button>
        </div>
      )}
      {outcome?.kind === 'conflict' && (
        <div className="banner banner-warn" role="alert" data-testid="settings-conflict">
          <strong>The file changed.</strong> {outcome.message}
          <div className="banner-actions">
            <button
              type="button"
              className="btn primary"
              disabled={saving}
              onClick={() => onSaveInto(outcome.settings.revision)}
              data-testid="conflict-save-into"
            >
              Save my edits into the changed file
            </button>
            <button
              type="button"
              className="btn ghost"
              disabled={saving}
              onClick={() => onTakeFile(outcome.settings)}
              data-testid="conflict-take-file"
            >
              Show the file’s version (drop my edits)
            </button>
          </div>
          <p className="small">Saving into it keeps the hand edits in every section this screen does not change.</p>
        </div>
      )}
      {outcome?.kind === 'invalid' && (
        <div className="banner banner-error" role="alert" data-testid="settings-invalid">
          <strong>Not saved.</strong> {outcome.count === 1 ? 'One value needs fixing' : `${outcome.count} values need fixing`}; each is
          marked next to its field. Nothing was written and your edits are still here.
        </div>
      )}
      {outcome?.kind === 'error' && (
        <div className="banner banner-error" role="alert" data-testid="settings-error">
          {outcome.message}
        </div>
      )}
      {outcome?.kind === 'saved' && (
        <div className="banner banner-ok" role="status" data-testid="settings-saved">
          <strong>{outcome.written ? 'Saved.' : 'Nothing changed in the file.'}</strong>{' '}
          {outcome.applied.length > 0 ? `In effect now: ${outcome.applied.join(', ')}.` : outcome.written ? 'Nothing to apply now.' : ''}
          {outcome.needsRestart.length > 0 && (
            <span data-testid="settings-restart-needed">
              {' '}
              <strong>Restart Hero Desk to apply:</strong> {outcome.needsRestart.map((issue) => issue.path).join(', ')}.
            </span>
          )}
          <button type="button" className="link-btn banner-dismiss" onClick={onDismiss} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {view.pendingRestart.length > 0 && outcome?.kind !== 'saved' && (
        <div className="banner banner-warn" data-testid="settings-pending-restart">
          <strong>Saved, waiting for a restart:</strong>
          <ul>
            {view.pendingRestart.map((issue) => (
              <li key={issue.path}>
                <code>{issue.path}</code> — {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {liveAhead(view) && outcome?.kind !== 'saved' && (
        <div className="banner banner-warn" data-testid="settings-file-ahead">
          <strong>The file holds settings not in effect yet</strong> (edited by hand since Hero Desk started). They are shown here; Save
          puts them into effect.
        </div>
      )}
      {elsewhere.length > 0 && (
        <div className="banner banner-error" data-testid="settings-elsewhere">
          <strong>Mistakes elsewhere in the config file</strong> (not on this screen; fix them in the file):
          <ul>
            {elsewhere.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <code>{issue.path || 'file'}</code>: {friendly(issue.message)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
