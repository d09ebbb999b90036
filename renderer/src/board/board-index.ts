// Which cards sit in which column, in board order, and which of them the current filter shows.
// Kept as id lists and updated per event for the one card that changed: a column's list is a new
// array only when that column's membership or order really changed, so a progress event re-renders
// one tile and no column, and the board is never re-laid out for a card that stayed in place.
import { BOARD_COLUMNS, type Card } from '../../../shared/domain.ts';
import { columnOf, comparatorFor, isSettledColumn, mapColumns, type ColumnId, type ColumnIds } from './ordering.ts';

export interface BoardIndex {
  /** Every card the board holds, per column. */
  columns: ColumnIds;
  /** The ones the filter lets through (the same arrays as `columns` when nothing is filtered). */
  view: ColumnIds;
}

type Cards = Readonly<Record<string, Card>>;
type Match = ((card: Card) => boolean) | null;

const emptyColumns = (): Record<ColumnId, string[]> =>
  Object.fromEntries(BOARD_COLUMNS.map((c) => [c.id, [] as string[]])) as Record<ColumnId, string[]>;

export function buildIndex(cards: Cards, match: Match): BoardIndex {
  const columns = emptyColumns();
  for (const card of Object.values(cards)) columns[columnOf(card.status)].push(card.articleId);
  for (const [id, list] of Object.entries(columns)) {
    const compare = comparatorFor(id as ColumnId);
    list.sort((a, b) => compare(cards[a]!, cards[b]!));
  }
  return { columns, view: filterView(columns, cards, match) };
}

export function filterView(columns: ColumnIds, cards: Cards, match: Match): ColumnIds {
  if (!match) return columns;
  return mapColumns(columns, (list) => list.filter((cardId) => match(cards[cardId]!)));
}

/** Same place in the same column: nothing that orders it changed. */
function samePlace(column: ColumnId, before: Card, after: Card): boolean {
  if (columnOf(before.status) !== columnOf(after.status)) return false;
  const orderKeys = before.breaking === after.breaking && before.tier === after.tier && before.createdAt === after.createdAt;
  return orderKeys && (!isSettledColumn(column) || before.updatedAt === after.updatedAt);
}

function insertSorted(list: readonly string[], id: string, cards: Cards, column: ColumnId): string[] {
  const compare = comparatorFor(column);
  const card = cards[id]!;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(cards[list[mid]!]!, card) < 0) low = mid + 1;
    else high = mid;
  }
  return [...list.slice(0, low), id, ...list.slice(low)];
}

const without = (list: readonly string[], id: string): readonly string[] => {
  const at = list.indexOf(id);
  return at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
};

function place(lists: ColumnIds, id: string, from: ColumnId | null, to: ColumnId | null, cards: Cards): ColumnIds {
  let next = lists;
  if (from) next = { ...next, [from]: without(next[from], id) };
  if (to) next = { ...next, [to]: insertSorted(next[to], id, cards, to) };
  return next;
}

/**
 * The index after one card changed (`before` undefined: it is new; `after` undefined: it is gone).
 * `cards` already holds the new card.
 */
export function reindexCard(index: BoardIndex, cards: Cards, before: Card | undefined, after: Card | undefined, match: Match): BoardIndex {
  const id = (after ?? before)!.articleId;
  const from = before ? columnOf(before.status) : null;
  const to = after ? columnOf(after.status) : null;
  const stays = before !== undefined && after !== undefined && samePlace(from!, before, after);

  const columns = stays ? index.columns : place(index.columns, id, from, to, cards);
  if (!match) return { columns, view: columns };

  const wasShown = from !== null && index.view[from].includes(id);
  const isShown = after !== undefined && match(after);
  if (stays && wasShown === isShown) return { columns, view: index.view };
  const view = place(index.view, id, wasShown ? from : null, isShown ? to : null, cards);
  return { columns, view };
}
