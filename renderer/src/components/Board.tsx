// The seven status columns, in the order a story moves through them. Each column reads only its own
// list from the store and renders only the cards in sight (BoardColumn), so the board's layout is
// fixed: a card moving never re-lays out the other columns. On a phone one column shows at a time,
// picked with the column switcher (buttons, no swiping); it follows the keyboard's selection.
import { useState } from 'react';
import { BOARD_COLUMNS } from '../../../shared/domain.ts';
import type { ColumnId } from '../board/ordering.ts';
import { useBoard } from '../store/context.ts';
import { columnHolding } from '../store/selection.ts';
import { BoardColumn } from './BoardColumn.tsx';

/** The switcher's words: short enough for four buttons a row on a 390 px phone. */
const SHORT_TITLE: Record<ColumnId, string> = {
  pending: 'Pending',
  generating: 'Generating',
  generated: 'Review',
  rejected: 'Rejected',
  approved: 'Approved',
  published: 'Published',
  failed: 'Failed',
};

function SwitchButton({ id, active, onPick }: { id: ColumnId; active: boolean; onPick(id: ColumnId): void }) {
  const count = useBoard((s) => s.view[id].length);
  return (
    <button type="button" className="column-switch" data-testid={`switch-${id}`} aria-pressed={active} onClick={() => onPick(id)}>
      {SHORT_TITLE[id]} <span className="switch-count">{count}</span>
    </button>
  );
}

export function Board() {
  const [phoneColumn, setPhoneColumn] = useState<ColumnId>('generated');
  const selectedColumn = useBoard((s) => (s.selectedId === null ? null : columnHolding(s.view, s.selectedId)));
  // the keyboard (or an approve that moves on) can land in another column: show that one (adjusted
  // while rendering, React's pattern for state that follows a changing value)
  const [followed, setFollowed] = useState<ColumnId | null>(null);
  if (selectedColumn !== followed) {
    setFollowed(selectedColumn);
    if (selectedColumn !== null) setPhoneColumn(selectedColumn);
  }

  return (
    <main className="board" aria-label="Stories by status" data-testid="board" data-phone-column={phoneColumn}>
      <nav className="column-switcher" aria-label="Columns">
        {BOARD_COLUMNS.map((column) => (
          <SwitchButton key={column.id} id={column.id} active={column.id === phoneColumn} onPick={setPhoneColumn} />
        ))}
      </nav>
      {BOARD_COLUMNS.map((column) => (
        <BoardColumn key={column.id} id={column.id} title={column.title} />
      ))}
    </main>
  );
}
