// The selected story: the image large, the decisions (each with its single-key shortcut), why it
// scored what it did, every candidate side by side, the crops around the focal point, alt text and
// credit, the editor's own photo, the prompt (editable, with its history and the scorer's
// suggestion) and every provider call.
//
// The whole drawer is keyed by the story: moving to another card starts it afresh (no form left
// open, no draft, no scroll position carried over from the previous story).
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { canTransition } from '../../../shared/state-machine.ts';
import type { Card } from '../../../shared/domain.ts';
import { formatCost, formatEstimate, formatFlag, formatScore, formatTime, providerOf, STATUS_LABEL } from '../format.ts';
import { PHONE_QUERY } from '../phone.ts';
import { useBoard } from '../store/context.ts';
import { CardImageView, ScoreChip, TierBadge, UpgradeBadge } from './CardTile.tsx';
import { Candidates } from './drawer/Candidates.tsx';
import { CropEditor } from './drawer/CropEditor.tsx';
import { Decisions } from './drawer/Decisions.tsx';
import { WhoDecided } from './drawer/WhoDecided.tsx';
import { SoftLockNotice, useReportPresence } from './Presence.tsx';
import { SafetyChecks } from './drawer/SafetyGate.tsx';
import { ImageDetailsForm } from './drawer/ImageDetailsForm.tsx';
import { MoveUp } from './drawer/MoveUp.tsx';
import { PhotoUpload } from './drawer/PhotoUpload.tsx';
import { PromptHistory, PromptSuggestion } from './drawer/PromptHistory.tsx';
import { useCardDetail } from './drawer/useCardDetail.ts';
import './drawer/drawer.css';
import { inBackground } from '../in-background.ts';

interface PromptEditorProps {
  card: Card;
  busy: boolean;
  /** null = not edited: follow the card, which may change under us (the scorer can revise the prompt). */
  draft: string | null;
  setDraft(draft: string | null): void;
  textarea: RefObject<HTMLTextAreaElement | null>;
}

function PromptEditor({ card, busy, draft, setDraft, textarea }: PromptEditorProps) {
  const savePrompt = useBoard((s) => s.savePrompt);
  const regenerate = useBoard((s) => s.regenerate);
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
        ref={textarea}
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
          onClick={inBackground(async () => {
            await savePrompt(card.articleId, value);
            setDraft(null);
          })}
        >
          Save prompt
        </button>
        <button
          type="button"
          className="btn"
          data-testid="regenerate-with-prompt"
          disabled={busy || !value.trim()}
          onClick={inBackground(async () => {
            await regenerate(card.articleId, value);
            setDraft(null);
          })}
        >
          Regenerate with this prompt
        </button>
        {card.promptOverride !== null && (
          <button type="button" className="btn link" disabled={busy} onClick={inBackground(() => savePrompt(card.articleId, null))}>
            Use automatic prompt
          </button>
        )}
      </div>
    </section>
  );
}

const OUTCOME_LABEL: Partial<Record<string, string>> = { low_score: 'low score', running: 'running…', interrupted: 'interrupted (crash)' };

/** Every call: which model, with which seed and prompt, how it ended and what it cost. */
function History({ card }: { card: Card }) {
  if (card.history.length === 0) return <p className="muted">No provider calls yet.</p>;
  return (
    <table className="history" data-testid="history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Provider</th>
          <th>Outcome</th>
          <th>Score</th>
          <th>Cost</th>
          <th>Prompt</th>
        </tr>
      </thead>
      <tbody>
        {card.history.map((attempt, index) => (
          <tr key={`${attempt.at}-${index}`} className={`outcome-${attempt.outcome}`} data-testid="history-row">
            <td>{formatTime(attempt.at)}</td>
            <td>
              {attempt.provider}
              <div className="muted small">{attempt.model}</div>
              {attempt.seed != null && (
                <div className="muted small" data-testid="history-seed">
                  seed {attempt.seed}
                </div>
              )}
            </td>
            <td>
              <span className="outcome">{OUTCOME_LABEL[attempt.outcome] ?? attempt.outcome}</span>
              {attempt.detail && <div className="muted small">{attempt.detail}</div>}
              {attempt.budgetOverride && (
                <div className="small budget-override" data-testid="history-budget-override">
                  Past the daily budget — overridden by {attempt.budgetOverride}
                </div>
              )}
              {attempt.prompt && (
                <details className="history-prompt">
                  <summary className="small">Prompt</summary>
                  <p className="small" data-testid="history-prompt">
                    {attempt.prompt}
                  </p>
                </details>
              )}
            </td>
            <td>{formatScore(attempt.score)}</td>
            <td>{formatCost(attempt.costUsd)}</td>
            <td className="attempt-prompt" title={attempt.prompt ?? undefined}>
              {attempt.prompt ? <span className="muted small">{attempt.prompt}</span> : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="drawer-section" aria-labelledby={`drawer-${id}`} data-testid={`section-${id}`}>
      <div className="section-head">
        <h3 id={`drawer-${id}`}>{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function DetailPanel({ card }: { card: Card }) {
  return <Drawer key={card.articleId} card={card} />;
}

function Drawer({ card }: { card: Card }) {
  const busy = useBoard((s) => s.busy[card.articleId] === true);
  const minScore = useBoard((s) => s.appInfo?.thresholds.minScore ?? null);
  const regenerate = useBoard((s) => s.regenerate);
  const retryPublication = useBoard((s) => s.retryPublication);
  const chooseCandidate = useBoard((s) => s.chooseCandidate);
  const uploadPhoto = useBoard((s) => s.uploadPhoto);
  const saveImageDetails = useBoard((s) => s.saveImageDetails);
  const select = useBoard((s) => s.select);
  const { detail, error } = useCardDetail(card.articleId);
  const [promptDraft, setPromptDraft] = useState<string | null>(null);
  const promptInput = useRef<HTMLTextAreaElement>(null);
  // an edited, unsaved prompt is this editor's soft lock on it: the others see it
  useReportPresence(card.articleId, promptDraft !== null && promptDraft !== (card.promptOverride ?? card.prompt));
  const provider = providerOf(card);
  const current = detail?.candidates.find((candidate) => candidate.current) ?? null;
  const canRegenerate = canTransition(card.status, 'pending');
  const publishing = card.status === 'publishing';

  const back = useRef<HTMLButtonElement>(null);
  // on a phone the drawer is the whole screen: the focus starts on its Back, not on a hidden card
  useEffect(() => {
    if (window.matchMedia(PHONE_QUERY).matches) back.current?.focus();
  }, []);
  const close = () => {
    select(null);
    // back on the board, the keyboard is where it was: on this story's card
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="card-${CSS.escape(card.articleId)}"]`)?.focus());
  };

  const editPrompt = (prompt: string) => {
    setPromptDraft(prompt);
    promptInput.current?.focus();
    promptInput.current?.scrollIntoView({ block: 'center' });
  };

  return (
    <aside className="detail" aria-label="Story details" data-testid="detail" data-article-id={card.articleId}>
      <div className="detail-top">
        {/* a × beside the board; on a phone, where the drawer is the whole screen, a worded Back */}
        <button
          ref={back}
          type="button"
          className="btn icon drawer-close"
          data-testid="drawer-close"
          title="Back to the board (Esc)"
          onClick={close}
        >
          <span className="drawer-close-x" aria-hidden="true">
            ×
          </span>
          <span className="drawer-close-word">
            <span aria-hidden="true">‹ </span>Back to board
          </span>
        </button>
        <div className="kicker">
          <TierBadge card={card} />
          <span className="section">{card.section}</span>
          <span className={`status status-${card.status}`}>{STATUS_LABEL[card.status]}</span>
          {card.stale && <span className="badge stale">Stale</span>}
        </div>
      </div>
      <h2 className="detail-headline">{card.headline}</h2>
      <div className="detail-image">
        {card.image ? (
          <CardImageView key={card.image.contentHash} image={card.image} alt={card.altText ?? card.headline} large />
        ) : (
          <span className="thumb-empty">{STATUS_LABEL[card.status]}</span>
        )}
      </div>
      <Decisions card={card} busy={busy} />
      <WhoDecided card={card} />
      <MoveUp card={card} busy={busy} />
      {card.lastError && (
        <div className="error-box" role="status">
          <p>{card.lastError}</p>
          {card.canRetryPublication && (
            <button
              type="button"
              className="btn"
              data-testid="retry-publication"
              disabled={busy}
              onClick={inBackground(() => retryPublication(card.articleId))}
            >
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
            <dd className="flags">
              {card.flags.map((flag) => (
                <span key={flag} className="flag">
                  {formatFlag(flag)}
                </span>
              ))}
            </dd>
          </>
        )}
        {card.upgrade && (
          <>
            <dt>Upgrade</dt>
            <dd data-testid="upgrade">
              <UpgradeBadge card={card} />{' '}
              {card.upgrade === 'on_the_way'
                ? 'A higher tier’s image is still being made; it arrives as a candidate below.'
                : 'It arrived: pick it from the candidates to use it.'}
            </dd>
          </>
        )}
        <dt>Cost</dt>
        <dd>
          {card.estimatedCostUsd != null && (
            <span
              className="estimate"
              data-testid="detail-estimate"
              title={`Expected cost of one image on the ${card.tier} tier (price table)`}
            >
              {formatEstimate(card.estimatedCostUsd)} per image ·{' '}
            </span>
          )}
          {formatCost(card.costUsd)} over {card.attempts} {card.attempts === 1 ? 'try' : 'tries'}
          {provider && (
            <>
              {' '}
              · {provider}
              {card.image ? ` (${card.image.model})` : ''}
            </>
          )}
        </dd>
        {card.retraction && card.status !== 'published' && (
          <>
            <dt>Readers</dt>
            <dd data-testid="retraction">
              {card.retraction.delivered ? 'Pulled from readers' : 'Being pulled from readers…'} at {formatTime(card.retraction.at)}:{' '}
              {card.retraction.reason}
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
      {error && (
        <p className="error-box" role="status" data-testid="detail-error">
          Could not load the candidates: {error}
        </p>
      )}
      <Section id="safety" title="Safety checks">
        <SafetyChecks card={card} />
      </Section>
      <Section id="candidates" title={`Candidates${detail ? ` (${detail.candidates.length})` : ''}`}>
        {detail ? (
          <Candidates
            candidates={detail.candidates}
            minScore={minScore}
            busy={busy}
            canChoose={!publishing}
            onChoose={(imageId) => void chooseCandidate(card.articleId, imageId)}
            onUsePrompt={editPrompt}
          />
        ) : (
          !error && <p className="muted">Loading…</p>
        )}
      </Section>
      {current && (
        <Section id="crops" title="Crops and focal point">
          <CropEditor
            key={current.imageId}
            image={current}
            locked={publishing}
            onSave={(focalPoint) => saveImageDetails(card.articleId, current.imageId, { focalPoint })}
          />
        </Section>
      )}
      {current && (
        <Section id="image-details" title="Alt text and credit">
          <ImageDetailsForm
            key={current.imageId}
            image={current}
            busy={busy || publishing}
            onSave={(details) => saveImageDetails(card.articleId, current.imageId, details)}
          />
        </Section>
      )}
      <Section id="photo" title="Use your own photo">
        <PhotoUpload busy={busy} disabled={publishing} onUpload={(photo) => uploadPhoto(card.articleId, photo)} />
      </Section>
      {detail?.suggestedPrompt && (
        <PromptSuggestion
          prompt={detail.suggestedPrompt}
          busy={busy || !canRegenerate}
          onRegenerate={(prompt) => void regenerate(card.articleId, prompt)}
          onEdit={editPrompt}
        />
      )}
      <SoftLockNotice articleId={card.articleId} />
      <PromptEditor card={card} busy={busy} draft={promptDraft} setDraft={setPromptDraft} textarea={promptInput} />
      {detail && (
        <Section id="prompt-history" title="Prompt history">
          <PromptHistory
            uses={detail.prompts}
            busy={busy}
            canRegenerate={canRegenerate}
            onUseAgain={(prompt) => void regenerate(card.articleId, prompt)}
          />
        </Section>
      )}
      <section>
        <h3>History</h3>
        <History card={card} />
      </section>
    </aside>
  );
}
