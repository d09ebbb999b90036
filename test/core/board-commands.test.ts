// The board's commands against a real SQLite store: the snapshot trims settled columns and says how
// many it left out, olderCards pages them in, bulk decides many stories through the same actions,
// reject refuses a published story, and cards carry their deadline and any retraction.
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../shared/contract.ts';
import { SETTLED_WINDOW, type Card } from '../../shared/domain.ts';
import { getArticle } from '../../electron/core/store/articles.ts';
import { openJob } from '../../electron/core/store/jobs.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs } from '../helpers/temp.ts';
import { stringContaining } from '../helpers/matchers.ts';

const dirs = tempDirs();
let board: BoardCore | null = null;
afterEach(() => {
  board?.close();
  board = null;
  dirs.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await board!.core.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const T0 = 1_700_000_000_000;

describe('board commands on a real store', () => {
  it('trims each settled column to the newest window, counts the rest, and pages them in by cursor', async () => {
    board = createBoardCore(dirs.make());
    for (let n = 0; n < SETTLED_WINDOW + 30; n++)
      board.addStory({ id: `pub${String(n).padStart(3, '0')}`, status: 'published', createdAt: T0, updatedAt: T0 + n * 1000 });
    for (let n = 0; n < 5; n++) board.addStory({ id: `rej${n}`, status: 'rejected', createdAt: T0, updatedAt: T0 + n });
    for (let n = 0; n < 40; n++) board.addStory({ id: `gen${n}`, status: 'generated', createdAt: T0 + n });
    board.addStory({ id: 'fail0', status: 'failed' });

    const snapshot = await call<CommandOutput<'snapshot'>>('snapshot', {});
    const byStatus = (cards: Card[], status: string) => cards.filter((card) => card.status === status);
    expect(byStatus(snapshot.cards, 'generated')).toHaveLength(40); // open work is never trimmed
    expect(byStatus(snapshot.cards, 'published')).toHaveLength(SETTLED_WINDOW);
    expect(byStatus(snapshot.cards, 'rejected')).toHaveLength(5);
    expect(snapshot.older).toEqual({ published: 30, rejected: 0, failed: 0 });
    // the newest changes are the ones shown
    const shown = byStatus(snapshot.cards, 'published').map((card) => card.articleId);
    expect(shown).toContain('pub129');
    expect(shown).not.toContain('pub029');

    const oldest = byStatus(snapshot.cards, 'published').sort((a, b) => a.updatedAt - b.updatedAt)[0]!;
    const first = await call<CommandOutput<'olderCards'>>('olderCards', {
      column: 'published',
      before: { updatedAt: oldest.updatedAt, articleId: oldest.articleId },
      limit: 20,
    });
    expect(first.cards.map((card) => card.articleId)).toEqual(
      Array.from({ length: 20 }, (_, i) => `pub${String(29 - i).padStart(3, '0')}`),
    );
    expect(first.remaining).toBe(10);
    const last = first.cards.at(-1)!;
    const second = await call<CommandOutput<'olderCards'>>('olderCards', {
      column: 'published',
      before: { updatedAt: last.updatedAt, articleId: last.articleId },
      limit: 20,
    });
    expect(second.cards).toHaveLength(10);
    expect(second.remaining).toBe(0);
    expect(second.cards.at(-1)!.articleId).toBe('pub000');
    expect(second.seq).toBeGreaterThan(0);
  });

  it('pages ties in updatedAt by id, so no card is skipped or repeated', async () => {
    board = createBoardCore(dirs.make());
    for (let n = 0; n < SETTLED_WINDOW + 7; n++)
      board.addStory({ id: `r${String(n).padStart(3, '0')}`, status: 'rejected', updatedAt: T0 });
    const snapshot = await call<CommandOutput<'snapshot'>>('snapshot', {});
    const seen = new Set(snapshot.cards.map((card) => card.articleId));
    const cursor = [...snapshot.cards].sort((a, b) => (a.articleId < b.articleId ? -1 : 1))[0]!;
    const page = await call<CommandOutput<'olderCards'>>('olderCards', {
      column: 'rejected',
      before: { updatedAt: cursor.updatedAt, articleId: cursor.articleId },
      limit: 50,
    });
    for (const card of page.cards) {
      expect(seen.has(card.articleId)).toBe(false);
      seen.add(card.articleId);
    }
    expect(seen.size).toBe(SETTLED_WINDOW + 7);
    expect(page.remaining).toBe(0);
  });

  it('bulk approves, rejects with one note and regenerates, reporting each story that could not move', async () => {
    board = createBoardCore(dirs.make());
    for (const id of ['a', 'b', 'c', 'd']) board.addStory({ id, status: 'generated' });
    board.addStory({ id: 'live', status: 'published' });
    board.addStory({ id: 'queued', status: 'pending' });

    const approved = await call<CommandOutput<'bulk'>>('bulk', { action: 'approve', articleIds: ['a', 'b', 'queued', 'nope', 'a'] });
    expect(approved.results).toEqual([
      { articleId: 'a', ok: true, error: null },
      { articleId: 'b', ok: true, error: null },
      { articleId: 'queued', ok: false, error: 'illegal status transition pending → approved' },
      { articleId: 'nope', ok: false, error: 'article nope not found' },
    ]);
    expect(getArticle(board.store, 'a')?.status).toBe('approved');
    expect(openJob(board.store, 'a', 'publish')).toBeDefined(); // the same outbox as one approval

    const rejected = await call<CommandOutput<'bulk'>>('bulk', {
      action: 'reject',
      articleIds: ['c', 'live'],
      reason: 'off-topic stock look',
    });
    expect(rejected.results[0]).toEqual({ articleId: 'c', ok: true, error: null });
    expect(rejected.results[1]).toMatchObject({ articleId: 'live', ok: false, error: stringContaining('pull it from readers') });
    expect(getArticle(board.store, 'live')?.status).toBe('published');
    const note = board.store.db.get<{ detail: string }>(
      "SELECT detail FROM events WHERE article_id = 'c' AND type = 'status' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.parse(note!.detail)).toMatchObject({ to: 'rejected', note: 'rejected: off-topic stock look' });

    const regenerated = await call<CommandOutput<'bulk'>>('bulk', { action: 'regenerate', articleIds: ['d', 'c'] });
    expect(regenerated.results.every((result) => result.ok)).toBe(true);
    expect(getArticle(board.store, 'd')?.status).toBe('pending');
    expect(openJob(board.store, 'c', 'generate')).toBeDefined();
  });

  it('refuses to reject a published story: pulling it from readers is retract, with a reason', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'live', status: 'published' });
    const refused = await board.core.dispatch('reject', { articleId: 'live' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'illegal_transition', message: stringContaining('with a reason') } });
    expect(getArticle(board.store, 'live')?.status).toBe('published');
  });

  it("gives each card its tier's deadline, and a retracted card its reason instead of a live image", async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'urgent', status: 'generating', breaking: true, createdAt: T0 });
    board.addStory({ id: 'daily', status: 'pending', createdAt: T0 });
    board.addStory({ id: 'fallback', status: 'pending', tier: 'default', createdAt: T0 });
    board.addStory({ id: 'live', status: 'published', createdAt: T0 });
    const events: Card[] = [];
    board.core.onEvent((event) => {
      if (event.type === 'card') events.push(event.card);
    });
    await call('retract', { articleId: 'live', reason: 'Wrong bridge pictured' });

    const { cards } = await call<CommandOutput<'snapshot'>>('snapshot', {});
    const card = (id: string) => cards.find((c) => c.articleId === id)!;
    expect(card('urgent').dueAt).toBe(T0 + 60_000);
    expect(card('daily').dueAt).toBe(T0 + 900_000);
    expect(card('fallback').dueAt).toBeNull();
    expect(card('live')).toMatchObject({ status: 'rejected', retraction: { reason: 'Wrong bridge pictured', delivered: false } });
    expect(card('live').image?.publishedUrl).toBeNull();
    expect(card('daily').retraction).toBeNull();
    // the event the board gets says the same
    expect(events.at(-1)).toMatchObject({ articleId: 'live', status: 'rejected', retraction: { reason: 'Wrong bridge pictured' } });
  });
});
