// Who did what on this desk (issue 13), opened from the header's "Audit" button: the newest
// attributed actions (approvals, rejections, retractions, prompt edits, queue and account changes).
import { useBoard } from '../store/context.ts';
import { useLatestLoad, usePopoverDismiss, type PopoverProps } from './popover.ts';
import { PopoverPanel } from './PopoverPanel.tsx';

function when(at: number): string {
  const date = new Date(at);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export function AuditPanel({ within, onClose }: PopoverProps) {
  const loadAudit = useBoard((s) => s.loadAudit);
  const { value: entries, error } = useLatestLoad(loadAudit);
  usePopoverDismiss({ within, onClose });
  return (
    <PopoverPanel id="audit-panel" title="Who did what" aside="newest first" within={within} onClose={onClose}>
      {error && (
        <p className="error-box" role="alert">
          Could not load the audit: {error}
        </p>
      )}
      {!entries && !error && <p className="muted small">Loading…</p>}
      {entries && entries.length === 0 && (
        <p className="muted">Nothing attributed yet: approvals, rejections and edits show here with who made them.</p>
      )}
      {entries && entries.length > 0 && (
        <ol className="audit-list">
          {entries.map((entry) => (
            <li key={entry.seq} className="audit-entry" data-testid="audit-entry">
              <time className="muted small" dateTime={new Date(entry.at).toISOString()}>
                {when(entry.at)}
              </time>{' '}
              <strong className="audit-actor">{entry.actor}</strong> <span className="audit-action">{entry.action}</span>
              {entry.headline && <span className="audit-story"> · {entry.headline}</span>}
            </li>
          ))}
        </ol>
      )}
    </PopoverPanel>
  );
}
