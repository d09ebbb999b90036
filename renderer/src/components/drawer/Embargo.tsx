// The embargo: approve now, publish at a set time. On the card a countdown ("Embargoed until 14:00 ·
// 12 min"); in the drawer the same line with Publish now and Cancel embargo, and "Publish at…" to
// set or move it. A story already on its way to readers (or pulled) has no embargo to set.
import { useState } from 'react';
import type { Card } from '../../../../shared/domain.ts';
import { embargoLabel, fromLocalInput, toLocalInput } from '../../board/embargo.ts';
import { useNow } from '../../clock.ts';
import { useBoard } from '../../store/context.ts';

const CLOSED = new Set(['publishing', 'published', 'rejected']);

/** The card's line; mounted only for an embargoed card, so the others hold no timer. */
export function EmbargoCountdown({ card }: { card: Card }) {
  const until = card.embargoUntil;
  const now = useNow();
  if (until === null || until <= now) return null;
  return (
    <div className="embargo-line" data-testid="card-embargo" aria-live="off">
      {embargoLabel(until, now)}
    </div>
  );
}

export function EmbargoPanel({ card, busy }: { card: Card; busy: boolean }) {
  const setEmbargo = useBoard((s) => s.setEmbargo);
  const publishNow = useBoard((s) => s.publishNow);
  const until = card.embargoUntil;
  const now = useNow();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  if (CLOSED.has(card.status)) return null;
  const active = until !== null && until > now;
  const waiting = active && card.status === 'approved';
  const chosen = fromLocalInput(value);
  const open = () => {
    setValue(toLocalInput(active ? until : Date.now() + 3_600_000));
    setEditing(true);
  };

  return (
    <section className={`embargo${active ? ' active' : ''}`} data-testid="embargo">
      {active && (
        <div className="embargo-status" data-testid="embargo-status">
          {embargoLabel(until, now)}
          {!waiting && <span className="muted"> · applies once approved</span>}
        </div>
      )}
      <div className="embargo-actions">
        {waiting && (
          <button
            type="button"
            className="btn approve"
            data-testid="publish-now"
            disabled={busy}
            onClick={() => void publishNow(card.articleId)}
          >
            Publish now
          </button>
        )}
        {!editing && (
          <button type="button" className="btn" data-testid="embargo-open" disabled={busy} onClick={open}>
            {active ? 'Move embargo…' : 'Publish at…'}
          </button>
        )}
        {active && (
          <button
            type="button"
            className="btn"
            data-testid="embargo-cancel"
            disabled={busy}
            onClick={() => void setEmbargo(card.articleId, null)}
          >
            Cancel embargo
          </button>
        )}
      </div>
      {editing && (
        <form
          className="embargo-form"
          data-testid="embargo-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen === null) return;
            void setEmbargo(card.articleId, chosen).then((done) => done && setEditing(false));
          }}
        >
          <label htmlFor="embargo-input">Publish no earlier than (your local time)</label>
          <input
            id="embargo-input"
            data-testid="embargo-input"
            type="datetime-local"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            autoFocus
          />
          <div className="embargo-actions">
            <button type="submit" className="btn approve" data-testid="embargo-save" disabled={busy || chosen === null}>
              {card.status === 'approved' ? 'Hold until then' : 'Set embargo'}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Keep as is
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
