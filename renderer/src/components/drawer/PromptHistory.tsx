// Every prompt sent for the story, by attempt, each one click from being used again; and the
// scorer's revised prompt for the current image as a one-click suggestion.
import type { PromptUse } from '../../../../shared/domain.ts';
import { formatTime } from '../../format.ts';

interface SuggestionProps {
  prompt: string;
  busy: boolean;
  onRegenerate(prompt: string): void;
  onEdit(prompt: string): void;
}

export function PromptSuggestion({ prompt, busy, onRegenerate, onEdit }: SuggestionProps) {
  return (
    <div className="suggestion" data-testid="prompt-suggestion">
      <p>
        <strong>The scorer suggests:</strong> <span data-testid="suggested-prompt">{prompt}</span>
      </p>
      <div className="inline-actions">
        <button type="button" className="btn primary" data-testid="use-suggestion" disabled={busy} onClick={() => onRegenerate(prompt)}>
          Regenerate with it
        </button>
        <button type="button" className="btn link" disabled={busy} onClick={() => onEdit(prompt)}>
          Edit first
        </button>
      </div>
    </div>
  );
}

const attemptsLabel = (attempts: readonly number[]) => `${attempts.length === 1 ? 'Attempt' : 'Attempts'} ${attempts.join(', ')}`;

export function PromptHistory({
  uses,
  busy,
  canRegenerate,
  onUseAgain,
}: {
  uses: readonly PromptUse[];
  busy: boolean;
  canRegenerate: boolean;
  onUseAgain(prompt: string): void;
}) {
  if (uses.length === 0) return <p className="muted">No prompt sent yet.</p>;
  return (
    <ol className="prompt-history" data-testid="prompt-history">
      {[...uses].reverse().map((use, index) => (
        <li key={use.prompt} data-testid={`prompt-use-${uses.length - 1 - index}`}>
          <div className="prompt-use-head">
            <span className="small">{attemptsLabel(use.attempts)}</span>
            <span className="muted small">{formatTime(use.lastUsedAt)}</span>
          </div>
          <p className="mono">{use.subject}</p>
          <button
            type="button"
            className="btn link"
            data-testid={`use-prompt-${uses.length - 1 - index}`}
            disabled={busy || !canRegenerate}
            onClick={() => onUseAgain(use.subject)}
          >
            Use this prompt again
          </button>
        </li>
      ))}
    </ol>
  );
}
