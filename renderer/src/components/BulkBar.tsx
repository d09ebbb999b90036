// Bulk decisions over the stories picked with Shift/Ctrl-click, Ctrl/⌘-A or X: approve, reject with
// one note, or regenerate; then a summary of what went through and, story by story, what did not.
import { useState } from 'react';
import { useBoard } from '../store/context.ts';
import { bulkHeadline } from '../store/bulk.ts';
import { inBackground } from '../in-background.ts';

function BulkOutcomeView() {
  const outcome = useBoard((s) => s.bulkOutcome);
  const dismiss = useBoard((s) => s.dismissBulkOutcome);
  const select = useBoard((s) => s.select);
  if (!outcome) return null;
  return (
    <section
      className={`bulk-outcome${outcome.failed.length > 0 ? ' bulk-outcome-partial' : ''}`}
      data-testid="bulk-outcome"
      role="status"
      aria-label="Result of the bulk action"
    >
      <p>{bulkHeadline(outcome)}</p>
      {outcome.failed.length > 0 && (
        <ul>
          {outcome.failed.map((failure) => (
            <li key={failure.articleId} data-testid={`bulk-failed-${failure.articleId}`}>
              <button type="button" className="btn link" onClick={() => select(failure.articleId)}>
                {failure.headline}
              </button>{' '}
              — {failure.error}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="btn ghost" data-testid="bulk-outcome-dismiss" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}

export function BulkBar() {
  const count = useBoard((s) => Object.keys(s.checked).length);
  const running = useBoard((s) => s.bulkRunning);
  const bulk = useBoard((s) => s.bulk);
  const clear = useBoard((s) => s.clearChecked);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');

  return (
    <>
      {count > 0 && (
        <section className="bulk-bar" data-testid="bulk-bar" aria-label="Selected stories">
          <strong data-testid="bulk-count">{count} selected</strong>
          {rejecting ? (
            <form
              className="bulk-reject"
              onSubmit={inBackground(async (event) => {
                event.preventDefault();
                await bulk('reject', note);
                setRejecting(false);
                setNote('');
              })}
            >
              <input
                data-testid="bulk-note"
                aria-label="Note for every rejected story"
                value={note}
                maxLength={500}
                placeholder="Note for all (optional)"
                autoFocus
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && setRejecting(false)}
              />
              <button type="submit" className="btn reject" data-testid="bulk-reject-confirm" disabled={running}>
                Reject {count}
              </button>
              <button type="button" className="btn ghost" onClick={() => setRejecting(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <>
              <button
                type="button"
                className="btn approve"
                data-testid="bulk-approve"
                disabled={running}
                onClick={inBackground(() => bulk('approve'))}
              >
                Approve
              </button>
              <button type="button" className="btn reject" data-testid="bulk-reject" disabled={running} onClick={() => setRejecting(true)}>
                Reject…
              </button>
              <button
                type="button"
                className="btn"
                data-testid="bulk-regenerate"
                disabled={running}
                onClick={inBackground(() => bulk('regenerate'))}
              >
                Regenerate
              </button>
            </>
          )}
          <button type="button" className="btn link" data-testid="bulk-clear" onClick={clear}>
            Clear selection
          </button>
        </section>
      )}
      <BulkOutcomeView />
    </>
  );
}
