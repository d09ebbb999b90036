// One story on the board: enough to triage at a glance (image, headline, tier, deadline, score, cost,
// trouble). Each tile reads its own card from the store, so an event for one story re-renders one tile.
import { CardPresence } from './Presence.tsx';
import { memo, useEffect, useRef, useState, type MouseEvent } from 'react';
import type { Card, CardImage } from '../../../shared/domain.ts';
import { dueLabel, dueState } from '../board/deadline.ts';
import { useNow } from '../clock.ts';
import { formatCost, formatEstimate, formatFlag, formatScore, providerOf, STATUS_LABEL } from '../format.ts';
import { UndoApproval } from './drawer/UndoApproval.tsx';
import { EmbargoCountdown } from './drawer/Embargo.tsx';
import { useBoard, useBoardStore } from '../store/context.ts';

export function TierBadge({ card }: { card: Card }) {
  const label = card.breaking ? 'Breaking' : card.tier === 'regular' ? 'Regular' : 'Default';
  return <span className={`badge tier-${card.breaking ? 'breaking' : card.tier}`}>{label}</span>;
}

export function ScoreChip({ card, minScore }: { card: Card; minScore: number | null }) {
  if (card.score === null) return null;
  const low = minScore !== null && card.score < minScore;
  return (
    <span className={`score ${low ? 'score-low' : 'score-ok'}`} title={card.scoreReason ?? undefined}>
      {formatScore(card.score)}
      <small>/10</small>
    </span>
  );
}

/** Thumbnail first (small, fast); the full image if the thumbnail is missing or fails to load. */
export function CardImageView({ image, alt, large }: { image: CardImage; alt: string; large?: boolean }) {
  const preferred = large ? image.url : image.thumbUrl || image.url;
  const [src, setSrc] = useState(preferred);
  return (
    <img
      data-testid={large ? 'detail-image' : 'card-image'}
      src={src}
      alt={alt}
      loading={large ? 'eager' : 'lazy'}
      decoding="async"
      onError={() => {
        if (src !== image.url) setSrc(image.url);
      }}
    />
  );
}

/** The tier's deadline: a countdown until it passes, then how late; ticks once a second. */
export function DueChip({ card }: { card: Card }) {
  const now = useNow();
  const state = dueState(card, now);
  const label = dueLabel(state);
  if (label === null) return null;
  const level =
    state.kind === 'late'
      ? 'late'
      : state.kind === 'due' && state.ms < 60_000
        ? 'soon'
        : state.kind === 'done' && state.lateByMs > 0
          ? 'missed'
          : 'ok';
  return (
    <span
      className={`due due-${level}`}
      data-testid="due"
      data-due={state.kind}
      title={card.dueAt === null ? undefined : `Deadline ${new Date(card.dueAt).toLocaleTimeString()}`}
    >
      {label}
    </span>
  );
}

interface CardTileProps {
  articleId: string;
  /** 1-based position in the column as shown, and how many it shows (for screen readers). */
  position: number;
  setSize: number;
  /** The column's one tab stop. */
  tabbable: boolean;
}

export const CardTile = memo(function CardTile({ articleId, position, setSize, tabbable }: CardTileProps) {
  const store = useBoardStore();
  const card = useBoard((s) => s.cards[articleId]);
  const selected = useBoard((s) => s.selectedId === articleId);
  const checked = useBoard((s) => s.checked[articleId] === true);
  const focusTick = useBoard((s) => (s.focusRequest?.id === articleId ? s.focusRequest.tick : 0));
  const minScore = useBoard((s) => s.appInfo?.thresholds.minScore ?? null);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    if (focusTick === 0) return;
    ref.current?.focus();
    store.getState().consumeFocus(articleId);
  }, [focusTick, articleId, store]);

  if (!card) return null;
  const provider = providerOf(card);
  const working = card.status === 'generating' || card.status === 'scoring' || card.status === 'publishing';

  function onClick(event: MouseEvent) {
    const state = store.getState();
    if (event.shiftKey) state.checkTo(articleId);
    else if (event.ctrlKey || event.metaKey) state.toggleChecked(articleId);
    else {
      state.clearChecked();
      state.select(articleId);
    }
  }

  return (
    <article
      ref={ref}
      className={`card${selected ? ' selected' : ''}${checked ? ' checked' : ''}${card.breaking ? ' breaking' : ''}`}
      data-testid={`card-${card.articleId}`}
      data-status={card.status}
      data-image-url={card.image?.url ?? ''}
      data-published-url={card.image?.publishedUrl ?? ''}
      data-checked={checked}
      aria-selected={selected || checked}
      aria-posinset={position}
      aria-setsize={setSize}
      tabIndex={tabbable ? 0 : -1}
      role="option"
      onClick={onClick}
      onKeyDown={(e) => {
        if (e.key === 'Enter') store.getState().select(articleId);
      }}
    >
      <div className={`thumb${working ? ' working' : ''}`}>
        {card.image ? (
          // the headline is right below: in a tile the picture is decoration (the drawer's keeps its alt text)
          <CardImageView key={card.image.contentHash} image={card.image} alt="" />
        ) : (
          <span className="thumb-empty">{STATUS_LABEL[card.status]}</span>
        )}
        {working && card.image && <span className="thumb-status">{STATUS_LABEL[card.status]}</span>}
        {checked && (
          <span className="check-mark" aria-hidden="true">
            ✓
          </span>
        )}
      </div>
      <div className="card-body">
        <div className="kicker">
          <TierBadge card={card} />
          <span className="section">{card.section}</span>
          {card.stale && (
            <span className="badge stale" title="The story changed after approval; a new image is coming">
              Stale
            </span>
          )}
          <UpgradeBadge card={card} />
          <DueChip card={card} />
        </div>
        <h3 className="headline">{card.headline}</h3>
        <div className="metrics">
          <ScoreChip card={card} minScore={minScore} />
          <span title="Total spent on this story, failed attempts included">{formatCost(card.costUsd)}</span>
          {/* before an image is made: what one is expected to cost on the story's tier */}
          {card.estimatedCostUsd != null && ['pending', 'generating', 'scoring'].includes(card.status) && (
            <span
              className="estimate"
              data-testid="card-estimate"
              title={`Expected cost of one image on the ${card.tier} tier (price table)`}
            >
              {formatEstimate(card.estimatedCostUsd)}
            </span>
          )}
          <span title="Provider calls so far">
            {card.attempts} {card.attempts === 1 ? 'try' : 'tries'}
          </span>
          {provider && <span className="provider">{provider}</span>}
        </div>
        {card.checks?.some((check) => check.state === 'fail') && (
          <div
            className="gate-line"
            data-testid="card-gate-fail"
            title={card.checks
              .filter((check) => check.state === 'fail')
              .map((check) => `${check.label}: ${check.reason}`)
              .join('\n')}
          >
            {card.safetyOverride ? 'Safety check overridden' : 'Failed a safety check'}
          </div>
        )}
        {card.flags.length > 0 && (
          <div className="flags">
            {card.flags.map((flag) => (
              <span key={flag} className="flag">
                {formatFlag(flag)}
              </span>
            ))}
          </div>
        )}
        {card.retraction && card.status !== 'published' && (
          <div className="retracted-line" data-testid="card-retracted">
            {card.retraction.delivered ? 'Pulled from readers' : 'Pulling from readers…'}
          </div>
        )}
        {card.policy && <div className="policy">{card.policy}</div>}
        <CardPresence articleId={card.articleId} />
        {card.lastError && (
          <div className="error-line" title={card.lastError}>
            {card.lastError}
          </div>
        )}
        {/* mounted only while there is something to undo: no store subscription on the other cards */}
        {card.status === 'approved' && card.undoUntil != null && <UndoApproval card={card} compact />}
        {card.embargoUntil != null && <EmbargoCountdown card={card} />}
      </div>
    </article>
  );
});

/** A higher tier's image after the deadline: on its way, or arrived and waiting in the drawer's candidates. */
export function UpgradeBadge({ card }: { card: Card }) {
  if (!card.upgrade) return null;
  const onTheWay = card.upgrade === 'on_the_way';
  return (
    <span
      className={`badge upgrade ${onTheWay ? 'on-the-way' : 'ready'}`}
      data-testid="upgrade-badge"
      title={
        onTheWay
          ? 'The story missed its tier deadline and took the next tier’s image; the better one is still being made'
          : 'A better image arrived after the deadline: see the candidates'
      }
    >
      {onTheWay ? 'Upgrade on the way' : 'Upgrade ready'}
    </span>
  );
}
