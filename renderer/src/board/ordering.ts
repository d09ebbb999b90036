// Where each card sits on the board and how keyboard selection moves between cards.
// Pure functions over cards, so the order the editor sees is the order shortcuts follow.
import { BOARD_COLUMNS, type ArticleStatus, type Card, type Tier } from '../../../shared/domain.ts';

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

export function groupColumns(cards: Iterable<Card>): Columns {
  const columns = Object.fromEntries(BOARD_COLUMNS.map((c) => [c.id, [] as Card[]])) as Columns;
  for (const card of cards) columns[columnOf(card.status)].push(card);
  for (const list of Object.values(columns)) list.sort(compareCards);
  return columns;
}

function locate(columns: Columns, id: string | null): { col: number; row: number } | null {
  if (id === null) return null;
  for (const [col, column] of BOARD_COLUMNS.entries()) {
    const row = columns[column.id].findIndex((card) => card.articleId === id);
    if (row >= 0) return { col, row };
  }
  return null;
}

function firstCard(columns: Columns): string | null {
  const review = columns.generated[0];
  if (review) return review.articleId;
  for (const column of BOARD_COLUMNS) {
    const card = columns[column.id][0];
    if (card) return card.articleId;
  }
  return null;
}

export type Move = 'up' | 'down' | 'left' | 'right';

/** up/down walk the board in reading order; left/right jump to the nearest non-empty column. */
export function moveSelection(columns: Columns, selectedId: string | null, move: Move): string | null {
  const at = locate(columns, selectedId);
  if (!at) return firstCard(columns);
  if (move === 'up' || move === 'down') {
    const flat = BOARD_COLUMNS.flatMap((c) => columns[c.id]);
    const index = flat.findIndex((card) => card.articleId === selectedId) + (move === 'down' ? 1 : -1);
    return flat[Math.max(0, Math.min(flat.length - 1, index))]?.articleId ?? selectedId;
  }
  const step = move === 'right' ? 1 : -1;
  for (let col = at.col + step; col >= 0 && col < BOARD_COLUMNS.length; col += step) {
    const list = columns[BOARD_COLUMNS[col]!.id];
    const card = list[Math.min(at.row, list.length - 1)];
    if (card) return card.articleId;
  }
  return selectedId;
}

/** After a decision on `decidedId`, the card to review next: the one below it, else above, else none. */
export function nextForReview(columns: Columns, decidedId: string): string | null {
  const queue = columns.generated;
  const index = queue.findIndex((card) => card.articleId === decidedId);
  if (index < 0) return queue[0]?.articleId ?? null;
  return (queue[index + 1] ?? queue[index - 1])?.articleId ?? null;
}
