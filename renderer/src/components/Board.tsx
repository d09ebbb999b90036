// The seven status columns, in the order a story moves through them.
import { useCallback } from 'react';
import { BOARD_COLUMNS } from '../../../shared/domain.ts';
import type { Columns } from '../board/ordering.ts';
import { useBoard } from '../store/context.ts';
import { CardTile } from './CardTile.tsx';

/**
 * Crowded columns get more room (cards then flow two or three across) and empty ones shrink, so a
 * burst of stories in one state stays visible without scrolling. Set through CSSOM, which the CSP allows.
 */
function columnTemplate(columns: Columns): string {
  return BOARD_COLUMNS.map(({ id }) => {
    const count = columns[id].length;
    const weight = count === 0 ? 0.7 : 1 + Math.min(2, (count - 1) * 0.25);
    return `minmax(${count === 0 ? 148 : 192}px, ${weight}fr)`;
  }).join(' ');
}

export function Board({ columns }: { columns: Columns }) {
  const selectedId = useBoard((s) => s.selectedId);
  const select = useBoard((s) => s.select);
  const minScore = useBoard((s) => s.appInfo?.thresholds.minScore ?? null);
  const onSelect = useCallback((id: string) => select(id), [select]);

  return (
    <main className="board" role="listbox" aria-label="Stories by status" style={{ gridTemplateColumns: columnTemplate(columns) }}>
      {BOARD_COLUMNS.map((column) => {
        const cards = columns[column.id];
        return (
          <section key={column.id} className={`column column-${column.id}`} data-testid={`column-${column.id}`}>
            <header className="column-head">
              <h2>{column.title}</h2>
              <span className="count">{cards.length}</span>
            </header>
            <div className="column-cards">
              {cards.length === 0 && <p className="column-empty">Nothing here</p>}
              {cards.map((card) => (
                <CardTile
                  key={card.articleId}
                  card={card}
                  selected={card.articleId === selectedId}
                  minScore={minScore}
                  onSelect={onSelect}
                />
              ))}
            </div>
          </section>
        );
      })}
    </main>
  );
}
