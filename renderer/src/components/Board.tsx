// The seven status columns, in the order a story moves through them. Each column reads only its own
// list from the store and renders only the cards in sight (BoardColumn), so the board's layout is
// fixed: a card moving never re-lays out the other columns.
import { BOARD_COLUMNS } from '../../../shared/domain.ts';
import { BoardColumn } from './BoardColumn.tsx';

export function Board() {
  return (
    <main className="board" aria-label="Stories by status" data-testid="board">
      {BOARD_COLUMNS.map((column) => (
        <BoardColumn key={column.id} id={column.id} title={column.title} />
      ))}
    </main>
  );
}
