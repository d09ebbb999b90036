// The undo window of an approval: a countdown to when the image may go to readers, and Undo.
// Shown on the card and in the drawer; gone once the window has passed (or for breaking news).
import { useEffect, useState } from 'react';
import type { Card } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';

function useNow(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null || until <= Date.now()) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  return now;
}

export function UndoApproval({ card, compact = false }: { card: Card; compact?: boolean }) {
  const undoApprove = useBoard((s) => s.undoApprove);
  const busy = useBoard((s) => s.busy[card.articleId] === true);
  const until = card.status === 'approved' ? (card.undoUntil ?? null) : null;
  const now = useNow(until);
  if (until === null || now >= until) return null;
  const seconds = Math.ceil((until - now) / 1000);
  return (
    <div className={`undo-approval${compact ? ' compact' : ''}`} data-testid={compact ? 'card-undo' : 'undo-approval'}>
      <span className="undo-countdown" data-testid="undo-countdown" aria-live="off">
        {compact ? `Publishing in ${seconds} s` : `Goes to readers in ${seconds} s`}
      </span>
      <button
        type="button"
        className="btn undo"
        data-testid={compact ? 'card-undo-button' : 'undo-approve'}
        disabled={busy}
        aria-label={`Undo the approval of “${card.headline}”`}
        onClick={(event) => {
          event.stopPropagation(); // on a card: undo, do not also select
          void undoApprove(card.articleId);
        }}
        onKeyDown={(event) => event.stopPropagation()}
      >
        Undo
      </button>
    </div>
  );
}
