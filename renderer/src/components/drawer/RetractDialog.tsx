// The kill switch, behind a confirmation: pulling a published image from every open reader page
// needs a reason (logged as a correction) and a second, deliberate click. A modal dialog, so a
// stray key press cannot do it and the board's shortcuts stay out of the way while it is open.
import { useState } from 'react';
import type { Card } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';
import { useModalDialog } from './useModalDialog.ts';
import { ReasonFields } from './ReasonForm.tsx';

export function RetractButton({ card, busy }: { card: Card; busy: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn reject" data-testid="retract" disabled={busy} onClick={() => setOpen(true)}>
        Pull from readers…
      </button>
      {open && <RetractDialog card={card} onClose={() => setOpen(false)} />}
    </>
  );
}

function RetractDialog({ card, onClose }: { card: Card; onClose(): void }) {
  const retract = useBoard((s) => s.retract);
  const busy = useBoard((s) => s.busy[card.articleId] === true);
  const ref = useModalDialog();
  const [reason, setReason] = useState('');

  return (
    <dialog
      ref={ref}
      className="retract-dialog"
      data-testid="retract-dialog"
      aria-labelledby="retract-title"
      onClose={onClose}
      // the board's single-key shortcuts (and its Esc, which closes the drawer) must not see these keys
      onKeyDown={(event) => event.stopPropagation()}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          // the store's action shows its own failure as a notice; the dialog closes once it succeeded
          void retract(card.articleId, reason.trim()).then((done) => done && ref.current?.close());
        }}
      >
        <h2 id="retract-title">Pull this image from readers?</h2>
        <p className="muted">
          “{card.headline}” disappears from every open reader page now and the story goes to Rejected. It is logged as a correction with
          your reason.
        </p>
        <ReasonFields
          testId="retract"
          reason={reason}
          onReason={setReason}
          placeholder="e.g. the wrong bridge is pictured"
          busy={busy}
          cancelLabel="Keep it live"
          onCancel={() => ref.current?.close()}
          confirmLabel="Pull image"
          confirmClass="danger"
        />
      </form>
    </dialog>
  );
}
