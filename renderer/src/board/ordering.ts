// Where each card sits on the board and how keyboard selection moves between cards.
// Pure functions over cards, so the order the editor sees is the order shortcuts follow.
import { BOARD_COLUMNS, SETTLED_COLUMNS, type ArticleStatus, type Card, type Tier } from '../../../shared/domain.ts';

export type ColumnId = (typeof BOARD_COLUMNS)[number]['id'];
export type Columns = Record<ColumnId, Card[]>;

const TIER_RANK: Record<Tier, number> = { breaking: 0, regular: 1, default: 2 };

export function columnOf(status: ArticleStatus): ColumnId {
  const column = BOARD_COLUMNS.find((c) => (c.statuses as readonly ArticleStatus[]).includes(status));
  return column?.id ?? 'pending';
}

/** Breaking news first, then newest story first: the order a desk editor works a queue in. */
export function compareCards(a: Card, b: Card): number {
  return (
    Number(b.breaking) - Number(a.breaking) ||
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    b.createdAt - a.createdAt ||
    a.articleId.localeCompare(b.articleId)
  );
}

/** Settled columns: the latest change first, ties by id, as the core pages them (olderCards). */
export function compareSettled(a: Card, b: Card): number {
  return b.updatedAt - a.updatedAt || (a.articleId < b.articleId ? 1 : a.articleId > b.articleId ? -1 : 0);
}

export function isSettledColumn(column: ColumnId): boolean {
  return (SETTLED_COLUMNS as readonly string[]).includes(column);
}

export function comparatorFor(column: ColumnId): (a: Card, b: Card) => number {
  return isSettledColumn(column) ? compareSettled : compareCards;
}

export function groupColumns(cards: Iterable<Card>): Columns {
  const columns = Object.fromEntries(BOARD_COLUMNS.map((c) => [c.id, [] as Card[]])) as Columns;
  for (const card of cards) columns[columnOf(card.status)].push(card);
  for (const [id, list] of Object.entries(columns)) list.sort(comparatorFor(id as ColumnId));
  return columns;
}

/** Card ids per column, in board order (what the store keeps; cheaper to move than whole cards). */
export type ColumnIds = Record<ColumnId, readonly string[]>;

/** Each column's list through `fn`, keeping the column ids. */
export function mapColumns<A, B>(columns: Record<ColumnId, A>, fn: (value: A, column: ColumnId) => B): Record<ColumnId, B> {
  const out = {} as Record<ColumnId, B>;
  for (const { id } of BOARD_COLUMNS) out[id] = fn(columns[id], id);
  return out;
}

export const idsOf = (columns: Columns): ColumnIds => mapColumns(columns, (list) => list.map((card) => card.articleId));

function locate(columns: ColumnIds, id: string | null): { col: number; row: number } | null {
  if (id === null) return null;
  for (const [col, column] of BOARD_COLUMNS.entries()) {
    const row = columns[column.id].indexOf(id);
    if (row >= 0) return { col, row };
  }
  return null;
}

function firstCard(columns: ColumnIds): string | null {
  const review = columns.generated[0];
  if (review) return review;
  for (const column of BOARD_COLUMNS) {
    const card = columns[column.id][0];
    if (card) return card;
  }
  return null;
}

export type Move = 'up' | 'down' | 'left' | 'right';

/** up/down walk the board in reading order; left/right jump to the nearest non-empty column. */
export function moveIn(columns: ColumnIds, selectedId: string | null, move: Move): string | null {
  const at = locate(columns, selectedId);
  if (!at) return firstCard(columns);
  if (move === 'up' || move === 'down') {
    // within the column first, then on into the next (or previous) non-empty one
    const list = columns[BOARD_COLUMNS[at.col]!.id];
    const row = at.row + (move === 'down' ? 1 : -1);
    if (row >= 0 && row < list.length) return list[row]!;
    const step = move === 'down' ? 1 : -1;
    for (let col = at.col + step; col >= 0 && col < BOARD_COLUMNS.length; col += step) {
      const next = columns[BOARD_COLUMNS[col]!.id];
      if (next.length > 0) return move === 'down' ? next[0]! : next[next.length - 1]!;
    }
    return selectedId;
  }
  const step = move === 'right' ? 1 : -1;
  for (let col = at.col + step; col >= 0 && col < BOARD_COLUMNS.length; col += step) {
    const list = columns[BOARD_COLUMNS[col]!.id];
    const card = list[Math.min(at.row, list.length - 1)];
    if (card) return card;
  }
  return selectedId;
}

export function moveSelection(columns: Columns, selectedId: string | null, move: Move): string | null {
  return moveIn(idsOf(columns), selectedId, move);
}

/** After a decision on `decidedId`, the card to review next: the one below it, else above, else none. */
export function nextInReview(queue: readonly string[], decidedId: string): string | null {
  const index = queue.indexOf(decidedId);
  if (index < 0) return queue[0] ?? null;
  return queue[index + 1] ?? queue[index - 1] ?? null;
}

export function nextForReview(columns: Columns, decidedId: string): string | null {
  return nextInReview(idsOf(columns).generated, decidedId);
}
