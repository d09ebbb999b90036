// The selected story: the image large, why it scored what it did, every provider call, the prompt
// (editable) and the decision buttons, each showing its single-key shortcut.
import { useState } from 'react';
import { canTransition } from '../../../shared/state-machine.ts';
import type { Card } from '../../../shared/domain.ts';
import { formatCost, formatFlag, formatScore, formatTime, providerOf, STATUS_LABEL } from '../format.ts';
import { useBoard } from '../store/context.ts';
import { CardImageView, ScoreChip, TierBadge } from './CardTile.tsx';

function PromptEditor({ card, busy }: { card: Card; busy: boolean }) {
  const savePrompt = useBoard((s) => s.savePrompt);
  const regenerate = useBoard((s) => s.regenerate);
  // null = not edited: follow the card, which may change under us (the scorer can revise the prompt).
  const [draft, setDraft] = useState<string | null>(null);
  const current = card.promptOverride ?? card.prompt;
  const value = draft ?? current;
  const dirty = draft !== null && draft !== current;

  return (
    <section className="prompt">
      <div className="prompt-head">
        <h3>Prompt</h3>
        <span className="muted">{card.promptOverride !== null ? 'edited by an editor' : 'written automatically'}</span>
      </div>
      <textarea
        data-testid="prompt-input"
        value={value}
        rows={5}
        maxLength={4000}
        aria-label="Image prompt (E)"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      <div className="prompt-actions">
        <button
          type="button"
          className="btn"
          data-testid="save-prompt"
          disabled={busy || !dirty || !value.trim()}
          onClick={async () => {
            await savePrompt(card.articleId, value);
            setDraft(null);
          }}
        >
          Save prompt
        </button>
        <button
          type="button"
          className="btn"
          data-testid="regenerate-with-prompt"
          disabled={busy || !value.trim()}
          onClick={async () => {
            await regenerate(card.articleId, value);
            setDraft(null);
          }}
        >
          Regenerate with this prompt
        </button>
        {card.promptOverride !== null && (
          <button type="button" className="btn link" disabled={busy} onClick={() => savePrompt(card.articleId, null)}>
            Use automatic prompt
          </button>
        )}
      </div>
    </section>
  );
}

/** The kill switch: pulls a published image from every open reader page, logged as a correction. */
function RetractForm({ card, busy }: { card: Card; busy: boolean }) {
  const retract = useBoard((s) => s.retract);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open) {
    return (
      <button type="button" className="btn reject" data-testid="retract" disabled={busy} onClick={() => setOpen(true)}>
        Pull from readers…
      </button>
    );
  }
  return (
    <form
      className="retract"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await retract(card.articleId, reason.trim())) setOpen(false);
      }}
    >
      <input data-testid="retract-reason" value={reason} maxLength={500} placeholder="Reason (logged as a correction)" autoFocus onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="btn reject" data-testid="retract-confirm" disabled={busy || !reason.trim()}>
        Pull image
      </button>
      <button type="button" className="btn ghost" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function History({ card }: { card: Card }) {
  if (card.history.length === 0) return <p className="muted">No provider calls yet.</p>;
  return (
    <table className="history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Provider</th>
          <th>Outcome</th>
          <th>Score</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {card.history.map((attempt, index) => (
          <tr key={`${attempt.at}-${index}`} className={`outcome-${attempt.outcome}`}>
            <td>{formatTime(attempt.at)}</td>
            <td>
              {attempt.provider}
              <div className="muted small">{attempt.model}</div>
            </td>
            <td>
              <span className="outcome">{attempt.outcome.replace('_', ' ')}</span>
              {attempt.detail && <div className="muted small">{attempt.detail}</div>}
            </td>
            <td>{formatScore(attempt.score)}</td>
            <td>{formatCost(attempt.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DetailPanel({ card }: { card: Card }) {
  const busy = useBoard((s) => s.busy[card.articleId] === true);
  const minScore = useBoard((s) => s.appInfo?.thresholds.minScore ?? null);
  const approve = useBoard((s) => s.approve);
  const reject = useBoard((s) => s.reject);
  const regenerate = useBoard((s) => s.regenerate);
  const retryPublication = useBoard((s) => s.retryPublication);
  const select = useBoard((s) => s.select);
  const provider = providerOf(card);

  return (
    <aside className="detail" aria-label="Story details" data-testid="detail" data-article-id={card.articleId}>
      <div className="detail-top">
        <div className="kicker">
          <TierBadge card={card} />
          <span className="section">{card.section}</span>
          <span className={`status status-${card.status}`}>{STATUS_LABEL[card.status]}</span>
          {card.stale && <span className="badge stale">Stale</span>}
        </div>
        <button type="button" className="btn icon" aria-label="Close (Esc)" title="Close (Esc)" onClick={() => select(null)}>
          ×
        </button>
      </div>
      <h2 className="detail-headline">{card.headline}</h2>
      <div className="detail-image">
        {card.image ? (
          <CardImageView key={card.image.contentHash} image={card.image} alt={card.altText ?? card.headline} large />
        ) : (
          <span className="thumb-empty">{STATUS_LABEL[card.status]}</span>
        )}
      </div>
      <div className="decisions">
        <button type="button" className="btn approve" data-testid="approve" disabled={busy || !canTransition(card.status, 'approved')} onClick={() => approve(card.articleId)}>
          Approve <kbd>A</kbd>
        </button>
        {/* a published story is pulled from readers with a reason (below), never rejected in one click */}
        <button type="button" className="btn reject" data-testid="reject" disabled={busy || card.status === 'published' || !canTransition(card.status, 'rejected')} onClick={() => reject(card.articleId)}>
          Reject <kbd>R</kbd>
        </button>
        <button type="button" className="btn" data-testid="regenerate" disabled={busy || !canTransition(card.status, 'pending')} onClick={() => regenerate(card.articleId)}>
          Regenerate <kbd>G</kbd>
        </button>
      </div>
      {/* keys differ from the prompt editor's: siblings sharing a key left this form on other cards */}
      {card.status === 'published' && <RetractForm key={`retract-${card.articleId}`} card={card} busy={busy} />}
      {card.lastError && (
        <div className="error-box" role="status">
          <p>{card.lastError}</p>
          {card.canRetryPublication && (
            <button type="button" className="btn" data-testid="retry-publication" disabled={busy} onClick={() => retryPublication(card.articleId)}>
              Retry {card.status === 'rejected' ? 'the retraction' : 'publishing'}
            </button>
          )}
        </div>
      )}
      <dl className="facts">
        <dt>Score</dt>
        <dd>
          <ScoreChip card={card} minScore={minScore} /> {card.score === null && '–'}
          {card.scoreReason && <span className="reason">{card.scoreReason}</span>}
        </dd>
        {card.flags.length > 0 && (
          <>
            <dt>Flags</dt>
            <dd className="flags">{card.flags.map((flag) => <span key={flag} className="flag">{formatFlag(flag)}</span>)}</dd>
          </>
        )}
        <dt>Cost</dt>
        <dd>
          {formatCost(card.costUsd)} over {card.attempts} {card.attempts === 1 ? 'try' : 'tries'}
          {provider && <> · {provider}{card.image ? ` (${card.image.model})` : ''}</>}
        </dd>
        {card.retraction && card.status !== 'published' && (
          <>
            <dt>Readers</dt>
            <dd data-testid="retraction">
              {card.retraction.delivered ? 'Pulled from readers' : 'Being pulled from readers…'} at {formatTime(card.retraction.at)}: {card.retraction.reason}
            </dd>
          </>
        )}
        {card.status === 'published' && card.image?.publishedUrl && (
          <>
            <dt>Live</dt>
            <dd>
              <a href={card.image.publishedUrl} target="_blank" rel="noreferrer">
                Published image ↗
              </a>
            </dd>
          </>
        )}
        {card.policy && (
          <>
            <dt>Policy</dt>
            <dd>{card.policy}</dd>
          </>
        )}
        {card.altText && (
          <>
            <dt>Alt text</dt>
            <dd>{card.altText}</dd>
          </>
        )}
      </dl>
      {card.summary && <p className="summary">{card.summary}</p>}
      <PromptEditor key={`prompt-${card.articleId}`} card={card} busy={busy} />
      <section>
        <h3>History</h3>
        <History card={card} />
      </section>
    </aside>
  );
}
