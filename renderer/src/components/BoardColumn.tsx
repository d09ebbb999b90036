// One status column: its title and counts (following the filter), how many of its stories are past
// their deadline, the cards in sight (virtualised: thousands of stories stay a few dozen elements),
// and for settled columns "show older", which pages in what the snapshot left out.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { SettledColumn } from '../../../shared/domain.ts';
import { lateIn } from '../board/deadline.ts';
import { isSettledColumn, type ColumnId } from '../board/ordering.ts';
import { useNow } from '../clock.ts';
import { columnTotal } from '../store/board-store.ts';
import { useBoard } from '../store/context.ts';
import { CardTile } from './CardTile.tsx';
import { inBackground } from '../in-background.ts';

/** A card is about this tall at the default column width; measured exactly once rendered. */
const ESTIMATED_CARD_PX = 236;
const CARD_GAP_PX = 8;
/**
 * A column this short is drawn whole (the page's find and a screen reader's reading cursor see every
 * card); longer ones draw what is in sight plus a few.
 */
const DRAW_WHOLE_UP_TO = 40;

function LateCount({ id }: { id: ColumnId }) {
  const now = useNow();
  const late = useBoard((s) => lateIn(s.view[id], s.cards, now));
  if (late === 0) return null;
  return (
    <span className="late-count" data-testid={`late-${id}`} title="Stories past their tier's deadline">
      {late} late
    </span>
  );
}

function ColumnCount({ id }: { id: ColumnId }) {
  const shown = useBoard((s) => s.view[id].length);
  const total = useBoard((s) => columnTotal(s, id));
  const filtered = useBoard((s) => s.view[id] !== s.columns[id]);
  return (
    <span className="count" data-testid={`count-${id}`} title={filtered ? `${shown} shown of ${total}` : `${total} stories`}>
      {filtered ? `${shown}/${total}` : total}
    </span>
  );
}

function ShowOlder({ id }: { id: SettledColumn }) {
  const older = useBoard((s) => s.older[id]);
  const loading = useBoard((s) => s.loadingOlder[id] === true);
  const loadOlder = useBoard((s) => s.loadOlder);
  if (older === 0) return null;
  return (
    <button
      type="button"
      className="btn ghost show-older"
      data-testid={`show-older-${id}`}
      disabled={loading}
      onClick={inBackground(() => loadOlder(id))}
    >
      {loading ? 'Loading…' : `Show older (${older})`}
    </button>
  );
}

function CardList({ id, labelId }: { id: ColumnId; labelId: string }) {
  const ids = useBoard((s) => s.view[id]);
  const selectedIndex = useBoard((s) => (s.selectedId === null ? -1 : s.view[id].indexOf(s.selectedId)));
  const focusTick = useBoard((s) => (s.focusRequest !== null && s.view[id].includes(s.focusRequest.id) ? s.focusRequest.tick : 0));
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this list itself
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_CARD_PX,
    getItemKey: (index) => ids[index]!,
    gap: CARD_GAP_PX,
    overscan: ids.length <= DRAW_WHOLE_UP_TO ? ids.length : 3,
    paddingStart: 4,
    paddingEnd: 10,
    // scrolling moves the slots in place; React renders only when the range of cards in sight changes
    directDomUpdates: true,
    useFlushSync: false,
  });

  // bring the selected card into sight (keyboard moves, a click in the spend panel)
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, focusTick, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  return (
    <div
      ref={scroller}
      className="column-cards"
      role="listbox"
      aria-labelledby={labelId}
      aria-multiselectable="true"
      tabIndex={-1}
      data-testid={`list-${id}`}
    >
      <div role="none" className="column-canvas" ref={virtualizer.containerRef}>
        {items.map((item) => (
          <div key={item.key} role="none" className="card-slot" data-index={item.index} ref={virtualizer.measureElement}>
            <CardTile
              articleId={ids[item.index]!}
              position={item.index + 1}
              setSize={ids.length}
              tabbable={selectedIndex >= 0 ? item.index === selectedIndex : item.index === firstShown}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

export const BoardColumn = memo(function BoardColumn({ id, title }: { id: ColumnId; title: string }) {
  const empty = useBoard((s) => s.view[id].length === 0);
  const labelId = `column-title-${id}`;
  return (
    <section className={`column column-${id}`} data-testid={`column-${id}`} aria-labelledby={labelId}>
      <header className="column-head">
        <h2 id={labelId}>{title}</h2>
        {id !== 'published' && id !== 'rejected' && <LateCount id={id} />}
        <ColumnCount id={id} />
      </header>
      {/* an empty column has nothing to focus: no list, no tab stop */}
      {empty ? <p className="column-empty">Nothing here</p> : <CardList id={id} labelId={labelId} />}
      {isSettledColumn(id) && <ShowOlder id={id as SettledColumn} />}
    </section>
  );
});
