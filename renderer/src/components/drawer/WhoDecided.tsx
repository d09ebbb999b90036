// Who last approved, rejected, retracted and edited the prompt of this story, and when (issue 13).
import type { Card } from '../../../../shared/domain.ts';
import { formatTime } from '../../format.ts';

const LABELS = [
  ['approved', 'Approved'],
  ['rejected', 'Rejected'],
  ['retracted', 'Retracted'],
  ['promptEdited', 'Prompt edited'],
] as const;

export function WhoDecided({ card }: { card: Card }) {
  const decisions = card.decisions;
  const shown = decisions ? LABELS.filter(([key]) => decisions[key] !== null) : [];
  if (!decisions || shown.length === 0) return null;
  return (
    <dl className="facts who-decided" data-testid="who-decided">
      {shown.map(([key, label]) => (
        <div key={key} className="who-decided-row" data-testid={`decided-${key}`}>
          <dt>{label}</dt>
          <dd>
            by <strong>{decisions[key]!.by}</strong> · {formatTime(decisions[key]!.at)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
