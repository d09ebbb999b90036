// The safety gate in the drawer: each check with pass / warn / fail and its reason, and the
// confirmation an editor goes through to approve an image that failed one — a reason is required,
// logged by the core and written back to the source record. A modal dialog, so neither a stray
// click nor the A key approves a failed image.
import { useState } from 'react';
import type { Card, SafetyCheck } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';
import { useModalDialog } from './useModalDialog.ts';
import { ReasonFields } from './ReasonForm.tsx';

const STATE_LABEL: Record<SafetyCheck['state'], string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail' };

export const failedChecksOf = (card: Card): SafetyCheck[] => (card.checks ?? []).filter((check) => check.state === 'fail');

export function SafetyChecks({ card }: { card: Card }) {
  const checks = card.checks ?? [];
  if (checks.length === 0) return <p className="muted">No image to check yet.</p>;
  return (
    <>
      <ul className="safety-checks" data-testid="safety-checks">
        {checks.map((check) => (
          <li key={check.id} className={`check check-${check.state}`} data-testid={`check-${check.id}`} data-state={check.state}>
            <span className={`check-state check-state-${check.state}`}>{STATE_LABEL[check.state]}</span>
            <span className="check-label">{check.label}</span>
            <span className="check-reason muted small">{check.reason}</span>
          </li>
        ))}
      </ul>
      {card.safetyOverride && (
        <p className="review-note" data-testid="safety-override">
          <strong>Approved over a failed check:</strong> {card.safetyOverride}
        </p>
      )}
    </>
  );
}

export function ApproveOverrideDialog({ card, onClose }: { card: Card; onClose(): void }) {
  const approve = useBoard((s) => s.approve);
  const busy = useBoard((s) => s.busy[card.articleId] === true);
  const ref = useModalDialog();
  const [reason, setReason] = useState('');
  const failed = failedChecksOf(card);

  return (
    <dialog
      ref={ref}
      className="retract-dialog"
      data-testid="override-dialog"
      aria-labelledby="override-title"
      onClose={onClose}
      // the board's single-key shortcuts (and its Esc, which closes the drawer) must not see these keys
      onKeyDown={(event) => event.stopPropagation()}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          // the store's action shows its own failure as a notice; the dialog closes once it succeeded
          void approve(card.articleId, reason.trim()).then((done) => done && ref.current?.close());
        }}
      >
        <h2 id="override-title">Approve an image that failed a safety check?</h2>
        <ul className="override-failed">
          {failed.map((check) => (
            <li key={check.id}>
              <strong>{check.label}:</strong> {check.reason}
            </li>
          ))}
        </ul>
        <p className="muted">Your reason is logged and written back to the story's record.</p>
        <ReasonFields
          testId="override"
          reason={reason}
          onReason={setReason}
          placeholder="e.g. official portrait, cleared by the picture desk"
          busy={busy}
          cancelLabel="Keep in review"
          onCancel={() => ref.current?.close()}
          confirmLabel="Approve anyway"
          confirmClass="approve"
        />
      </form>
    </dialog>
  );
}
