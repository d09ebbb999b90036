// The review decisions, each with its single-key shortcut: approve (through a confirmation with a
// reason when the image failed a safety check), reject (optionally with a note for whoever picks
// the story up next), regenerate. A published story offers no reject: pulling a
// live image goes through the retraction dialog instead, never a single key.
import { useState } from 'react';
import { canTransition } from '../../../../shared/state-machine.ts';
import type { Card } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';
import { RetractButton } from './RetractDialog.tsx';
import { UndoApproval } from './UndoApproval.tsx';
import { EmbargoPanel } from './Embargo.tsx';
import { ApproveOverrideDialog, failedChecksOf } from './SafetyGate.tsx';
import { inBackground } from '../../in-background.ts';

export function Decisions({ card, busy }: { card: Card; busy: boolean }) {
  const approve = useBoard((s) => s.approve);
  const reject = useBoard((s) => s.reject);
  const regenerate = useBoard((s) => s.regenerate);
  const [noting, setNoting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const gated = failedChecksOf(card).length > 0;
  const [note, setNote] = useState('');
  const live = card.status === 'published';
  const canReject = !live && canTransition(card.status, 'rejected');

  return (
    <>
      <UndoApproval card={card} />
      <EmbargoPanel card={card} busy={busy} />
      <div className="decisions">
        <button
          type="button"
          className="btn approve"
          data-testid="approve"
          disabled={busy || !canTransition(card.status, 'approved')}
          onClick={inBackground(async () => (gated ? setConfirming(true) : approve(card.articleId)))}
        >
          {gated ? 'Approve…' : 'Approve'} <kbd>A</kbd>
        </button>
        {live ? (
          <RetractButton card={card} busy={busy} />
        ) : (
          <button
            type="button"
            className="btn reject"
            data-testid="reject"
            disabled={busy || !canReject}
            onClick={inBackground(() => reject(card.articleId))}
          >
            Reject <kbd>R</kbd>
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="regenerate"
          disabled={busy || !canTransition(card.status, 'pending')}
          onClick={inBackground(() => regenerate(card.articleId))}
        >
          Regenerate <kbd>G</kbd>
        </button>
      </div>
      {confirming && <ApproveOverrideDialog card={card} onClose={() => setConfirming(false)} />}
      {canReject && !noting && (
        <button
          type="button"
          className="btn link reject-note-open"
          data-testid="reject-with-note"
          disabled={busy}
          onClick={() => setNoting(true)}
        >
          Reject with a note…
        </button>
      )}
      {canReject && noting && (
        <form
          className="reject-note"
          data-testid="reject-note"
          onSubmit={(event) => {
            event.preventDefault();
            void reject(card.articleId, note);
          }}
        >
          <label htmlFor="reject-note-input">Why is it rejected? (kept on the card)</label>
          <textarea
            id="reject-note-input"
            data-testid="reject-note-input"
            value={note}
            rows={2}
            maxLength={500}
            autoFocus
            placeholder="e.g. shows a supermarket, not the riverfront market"
            onChange={(event) => setNote(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setNoting(false);
            }}
          />
          <div className="inline-actions">
            <button type="submit" className="btn reject" data-testid="reject-note-confirm" disabled={busy || !note.trim()}>
              Reject with note
            </button>
            <button type="button" className="btn ghost" onClick={() => setNoting(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {card.reviewNote && (
        <p className="review-note" data-testid="review-note">
          <strong>{card.status === 'rejected' ? 'Rejected:' : 'Last rejected:'}</strong> {card.reviewNote}
        </p>
      )}
    </>
  );
}
