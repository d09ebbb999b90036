// Every image made (or supplied) for the story, side by side: score and why, flags, who made it,
// what it cost, its prompt and seed. One click makes another candidate the story's image.
import type { Candidate } from '../../../../shared/domain.ts';
import { formatCost, formatFlag, formatScore } from '../../format.ts';

interface CandidatesProps {
  candidates: readonly Candidate[];
  minScore: number | null;
  busy: boolean;
  /** False while the story is being published: a pick has to wait. */
  canChoose: boolean;
  onChoose(imageId: number): void;
  onUsePrompt(prompt: string): void;
}

function origin(candidate: Candidate): string {
  if (candidate.source === 'editor') return 'Your photo';
  return candidate.aiGenerated ? 'AI image' : 'Title card / default';
}

export function Candidates({ candidates, minScore, busy, canChoose, onChoose, onUsePrompt }: CandidatesProps) {
  if (candidates.length === 0) return <p className="muted">No image yet.</p>;
  // newest first: the editor usually compares the latest attempts
  const shown = [...candidates].reverse();
  return (
    <ul className="candidates" data-testid="candidates">
      {shown.map((candidate) => {
        const low = minScore !== null && candidate.score !== null && candidate.score < minScore;
        return (
          <li
            key={candidate.imageId}
            className={`candidate${candidate.current ? ' current' : ''}`}
            data-testid={`candidate-${candidate.imageId}`}
            data-current={candidate.current}
          >
            <div className="candidate-thumb">
              <img src={candidate.thumbUrl || candidate.url} alt={candidate.altText} loading="lazy" />
              {candidate.current && <span className="candidate-badge">Current</span>}
            </div>
            <div className="candidate-body">
              <div className="candidate-line">
                {candidate.score !== null ? (
                  <span className={`score ${low ? 'score-low' : 'score-ok'}`}>
                    {formatScore(candidate.score)}
                    <small>/10</small>
                  </span>
                ) : (
                  <span className="muted small">not scored</span>
                )}
                <span className="candidate-origin">{origin(candidate)}</span>
                {candidate.attempt !== null && <span className="muted small">attempt {candidate.attempt}</span>}
              </div>
              {candidate.scoreReason && <p className="candidate-reason">{candidate.scoreReason}</p>}
              {candidate.flags.length > 0 && (
                <div className="flags">
                  {candidate.flags.map((flag) => (
                    <span key={flag} className="flag">
                      {formatFlag(flag)}
                    </span>
                  ))}
                </div>
              )}
              <dl className="candidate-facts">
                <dt>By</dt>
                <dd>{candidate.source === 'editor' ? (candidate.fileName ?? 'photo') : `${candidate.provider} · ${candidate.model}`}</dd>
                <dt>Cost</dt>
                <dd>{candidate.costUsd === null ? '–' : formatCost(candidate.costUsd)}</dd>
                {candidate.seed !== null && (
                  <>
                    <dt>Seed</dt>
                    <dd className="mono">{candidate.seed}</dd>
                  </>
                )}
              </dl>
              {candidate.prompt && (
                <details className="candidate-prompt">
                  <summary>Prompt</summary>
                  <p className="mono">{candidate.prompt}</p>
                  <button type="button" className="btn link" onClick={() => onUsePrompt(candidate.prompt)}>
                    Edit this prompt
                  </button>
                </details>
              )}
              <button
                type="button"
                className="btn choose"
                data-testid={`choose-candidate-${candidate.imageId}`}
                disabled={busy || candidate.current || !canChoose}
                onClick={() => onChoose(candidate.imageId)}
              >
                {candidate.current ? 'The image now' : 'Use this image'}
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
