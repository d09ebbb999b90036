// Column grouping, in-column order and keyboard movement across the board.
import { describe, expect, it } from 'vitest';
import { columnOf, groupColumns, moveSelection, nextForReview } from '../../renderer/src/board/ordering.ts';
import { sampleCard } from '../bridge/fake-core.ts';

const cards = [
  sampleCard({ articleId: 'p1', status: 'pending', createdAt: 1 }),
  sampleCard({ articleId: 'g1', status: 'generating', createdAt: 2 }),
  sampleCard({ articleId: 's1', status: 'scoring', createdAt: 3 }),
  sampleCard({ articleId: 'r1', status: 'generated', createdAt: 4 }),
  sampleCard({ articleId: 'r2', status: 'generated', createdAt: 5 }),
  sampleCard({ articleId: 'rb', status: 'generated', createdAt: 1, breaking: true, tier: 'breaking' }),
  sampleCard({ articleId: 'pub', status: 'published', createdAt: 6 }),
];

describe('board ordering', () => {
  it('maps every status to its column', () => {
    expect(columnOf('scoring')).toBe('generating');
    expect(columnOf('publishing')).toBe('approved');
    expect(columnOf('generated')).toBe('generated');
  });

  it('groups cards and puts breaking news first, then the newest', () => {
    const columns = groupColumns(cards);
    expect(columns.generated.map((c) => c.articleId)).toEqual(['rb', 'r2', 'r1']);
    expect(columns.generating.map((c) => c.articleId)).toEqual(['s1', 'g1']);
    expect(columns.rejected).toEqual([]);
  });

  it('moves up and down in reading order, left and right across non-empty columns', () => {
    const columns = groupColumns(cards);
    expect(moveSelection(columns, null, 'down')).toBe('rb'); // nothing selected: first card to review
    expect(moveSelection(columns, 'p1', 'down')).toBe('s1');
    expect(moveSelection(columns, 's1', 'up')).toBe('p1');
    expect(moveSelection(columns, 'p1', 'up')).toBe('p1');
    expect(moveSelection(columns, 'r2', 'right')).toBe('pub'); // skips empty Rejected and Approved
    expect(moveSelection(columns, 'pub', 'left')).toBe('rb');
    expect(moveSelection(columns, 'pub', 'right')).toBe('pub');
  });

  it('finds the next card to review after a decision', () => {
    const columns = groupColumns(cards);
    expect(nextForReview(columns, 'rb')).toBe('r2');
    expect(nextForReview(columns, 'r1')).toBe('r2');
    expect(nextForReview(columns, 'pub')).toBe('rb');
    expect(nextForReview(groupColumns([cards[3]!]), 'r1')).toBeNull();
  });
});
