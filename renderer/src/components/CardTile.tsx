// One story on the board: enough to triage at a glance (image, headline, tier, score, cost, trouble).
import { memo, useEffect, useRef, useState } from 'react';
import type { Card, CardImage } from '../../../shared/domain.ts';
import { formatCost, formatFlag, formatScore, providerOf, STATUS_LABEL } from '../format.ts';
import { UndoApproval } from './drawer/UndoApproval.tsx';

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
      onError={() => {
        if (src !== image.url) setSrc(image.url);
      }}
    />
  );
}

interface CardTileProps {
  card: Card;
  selected: boolean;
  minScore: number | null;
  onSelect(articleId: string): void;
}

export const CardTile = memo(function CardTile({ card, selected, minScore, onSelect }: CardTileProps) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selected]);
  const provider = providerOf(card);
  const working = card.status === 'generating' || card.status === 'scoring' || card.status === 'publishing';

  return (
    <article
      ref={ref}
      className={`card${selected ? ' selected' : ''}${card.breaking ? ' breaking' : ''}`}
      data-testid={`card-${card.articleId}`}
      data-status={card.status}
      data-image-url={card.image?.url ?? ''}
      data-published-url={card.image?.publishedUrl ?? ''}
      aria-selected={selected}
      tabIndex={0}
      role="option"
      onClick={() => onSelect(card.articleId)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onSelect(card.articleId);
      }}
    >
      <div className={`thumb${working ? ' working' : ''}`}>
        {card.image ? (
          <CardImageView key={card.image.contentHash} image={card.image} alt={card.altText ?? card.headline} />
        ) : (
          <span className="thumb-empty">{STATUS_LABEL[card.status]}</span>
        )}
        {working && card.image && <span className="thumb-status">{STATUS_LABEL[card.status]}</span>}
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
        </div>
        <h3 className="headline">{card.headline}</h3>
        <div className="metrics">
          <ScoreChip card={card} minScore={minScore} />
          <span title="Total spent on this story, failed attempts included">{formatCost(card.costUsd)}</span>
          <span title="Provider calls so far">
            {card.attempts} {card.attempts === 1 ? 'try' : 'tries'}
          </span>
          {provider && <span className="provider">{provider}</span>}
        </div>
        {card.flags.length > 0 && (
          <div className="flags">
            {card.flags.map((flag) => (
              <span key={flag} className="flag">
                {formatFlag(flag)}
              </span>
            ))}
          </div>
        )}
        {card.policy && <div className="policy">{card.policy}</div>}
        {card.lastError && (
          <div className="error-line" title={card.lastError}>
            {card.lastError}
          </div>
        )}
        {/* mounted only while there is something to undo: no store subscription on the other cards */}
        {card.status === 'approved' && card.undoUntil != null && <UndoApproval card={card} compact />}
      </div>
    </article>
  );
});
