// Multi-select over the board as shown (filtered): ranges stay within one column, "all" means all
// shown in that column. And the sentence read out when the keyboard lands on a card.
import { BOARD_COLUMNS, type Card } from '../../../shared/domain.ts';
import { STATUS_LABEL } from '../format.ts';
import type { ColumnId, ColumnIds } from '../board/ordering.ts';

export type Checked = Readonly<Record<string, true>>;

export function columnHolding(view: ColumnIds, articleId: string): ColumnId | null {
  for (const column of BOARD_COLUMNS) if (view[column.id].includes(articleId)) return column.id;
  return null;
}

/** From the anchor to `to`, inclusive, when both are shown in the same column; else just `to`. */
export function checkRange(view: ColumnIds, anchorId: string | null, to: string): Checked {
  const column = columnHolding(view, to);
  if (!column) return {};
  const list = view[column];
  const from = anchorId === null ? -1 : list.indexOf(anchorId);
  const end = list.indexOf(to);
  if (from < 0) return { [to]: true };
  const [low, high] = from <= end ? [from, end] : [end, from];
  return Object.fromEntries(list.slice(low, high + 1).map((id) => [id, true as const]));
}

export function checkColumn(view: ColumnIds, column: ColumnId): Checked {
  return Object.fromEntries(view[column].map((id) => [id, true as const]));
}

/** "Harbor bridge repairs…. Awaiting review, 2 of 4. Breaking. Score 8.8." */
export function announceCard(view: ColumnIds, cards: Readonly<Record<string, Card>>, articleId: string): string {
  const card = cards[articleId];
  const column = columnHolding(view, articleId);
  if (!card || !column) return '';
  const title = BOARD_COLUMNS.find((c) => c.id === column)!.title;
  const list = view[column];
  const parts = [card.headline, `${title}, ${list.indexOf(articleId) + 1} of ${list.length}`];
  if (card.status !== 'generated' && card.status !== column) parts.push(STATUS_LABEL[card.status]);
  if (card.breaking) parts.push('Breaking');
  if (card.score !== null) parts.push(`Score ${card.score.toFixed(1)}`);
  return `${parts.join('. ')}.`;
}
