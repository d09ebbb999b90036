// A story waiting in the queue: which lane it waits in (and whether that lane is paused), and
// "Move up", which puts its job at the front of the lane (the core's prioritise).
import type { Card } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';
import { LANE_LABEL } from '../QueueControl.tsx';

export function MoveUp({ card, busy }: { card: Card; busy: boolean }) {
  const prioritise = useBoard((s) => s.prioritise);
  const lane = useBoard((s) => s.queue?.lanes.find((l) => l.name === card.tier) ?? null);
  if (card.status !== 'pending') return null;
  const label = LANE_LABEL[card.tier];
  return (
    <div className="move-up" data-testid="queue-position">
      <p>
        Waiting in the <strong>{label}</strong> queue
        {lane ? ` (${lane.queued} waiting${lane.paused ? ', paused' : ''})` : ''}.
      </p>
      <button type="button" className="btn" data-testid="move-up" disabled={busy} onClick={() => void prioritise(card.articleId)}>
        Move up <span aria-hidden="true">↑</span>
      </button>
    </div>
  );
}
