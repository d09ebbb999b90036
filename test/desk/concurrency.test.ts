// Optimistic concurrency and presence on a real board core and a real bridge: a decision made on
// a revision that moved is refused as a conflict naming who changed it (one result, never two), the
// queue's bookkeeping moves no revision, and presence follows boards' sockets and reports.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card, Presence } from '../../shared/domain.ts';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { addAccount } from '../../electron/core/accounts/accounts.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { boardEvent } from '../helpers/frames.ts';

const dirs = tempDirs();
let board: BoardCore | null = null;
let bridge: HttpBridge | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await bridge?.stop();
  board?.close();
  bridge = null;
  board = null;
  dirs.cleanup();
});

const maria = { name: 'Maria', role: 'editor' } as const;
const kim = { name: 'Kim', role: 'editor' } as const;

async function cardOf(id: string): Promise<Card> {
  const result = await board!.core.dispatch('snapshot', {}, maria);
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { cards: Card[] }).cards.find((card) => card.articleId === id)!;
}

describe('optimistic concurrency', () => {
  it('gives two editors deciding on the same revision one result and the second a conflict naming the first', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
    const seen = (await cardOf('rec-1')).revision!;
    expect(seen).toBeGreaterThan(0);

    expect(await board.core.dispatch('regenerate', { articleId: 'rec-1', expectedRevision: seen }, maria)).toEqual({
      ok: true,
      value: { ok: true },
    });
    const second = await board.core.dispatch('regenerate', { articleId: 'rec-1', expectedRevision: seen }, kim);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!second.ok)
      expect(second.error.message).toMatch(
        /^“Harbour bridge reopens” changed since your board showed it \(Maria asked for a new image at \d\d:\d\d UTC\); look at it again, then decide$/,
      );
    // one regeneration, not two: a single open generate job, queued once by Maria
    expect(board.store.db.all("SELECT actor FROM events WHERE type = 'job_queued' AND article_id = 'rec-1' AND actor IS NOT NULL")).toEqual(
      [{ actor: 'Maria' }],
    );

    // the queue's bookkeeping does not move the revision
    const now = (await cardOf('rec-1')).revision!;
    board.store.transaction(() => board!.store.logEvent('job_claimed', 'rec-1', {}));
    expect((await cardOf('rec-1')).revision).toBe(now);
    // without a revision (the shell, an older board) nothing is checked
    board.store.db.run("UPDATE articles SET status = 'generated' WHERE id = 'rec-1'");
    expect((await board.core.dispatch('approve', { articleId: 'rec-1' }, kim)).ok).toBe(true);
  });

  it('refuses a stale story inside a bulk decision and lets the others through', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated' });
    board.addStory({ id: 'rec-2', status: 'generated' });
    const r1 = (await cardOf('rec-1')).revision!;
    const r2 = (await cardOf('rec-2')).revision!;
    await board.core.dispatch('setPrompt', { articleId: 'rec-2', prompt: 'a new prompt' }, maria);
    const result = await board.core.dispatch(
      'bulk',
      { action: 'approve', articleIds: ['rec-1', 'rec-2'], expectedRevisions: { 'rec-1': r1, 'rec-2': r2 } },
      kim,
    );
    expect(result.ok).toBe(true);
    const results = (result as { value: { results: { articleId: string; ok: boolean; error?: string }[] } }).value.results;
    expect(results.map((r) => [r.articleId, r.ok])).toEqual([
      ['rec-1', true],
      ['rec-2', false],
    ]);
    expect(results[1]!.error).toContain('changed since your board showed it (Maria edited the prompt');
  });
});

describe('presence', () => {
  it('shows who has a board open and what they look at or edit, live, and drops a board whose socket closed', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated' });
    const mariaAccount = await addAccount(board.store, 'Maria', 'editor');
    const olaAccount = await addAccount(board.store, 'Ola', 'viewer');
    bridge = await startHttpBridge({ core: board.core, rendererDir: dirs.make(), logger: pino({ level: 'silent' }) });
    const open = async (token: string, session: string) => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge!.port}/api/events?token=${encodeURIComponent(token)}&session=${session}`);
      sockets.push(ws);
      const events: HeroEvent[] = [];
      ws.on('message', (data) => events.push(boardEvent(data)));
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      return {
        ws,
        events,
        last: () => events.filter((e): e is Extract<HeroEvent, { type: 'presence' }> => e.type === 'presence').at(-1)?.presence ?? null,
      };
    };
    const command = (name: string, input: unknown, token: string) =>
      fetch(`http://127.0.0.1:${bridge!.port}/api/commands/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      }).then((r) => r.json());

    const mariaBoard = await open(mariaAccount.token, 'session-maria-1');
    const olaBoard = await open(olaAccount.token, 'session-ola-0001');
    await waitFor(() => mariaBoard.last()?.length === 2);

    expect(await command('setPresence', { session: 'session-maria-1', viewing: 'rec-1', editing: 'rec-1' }, mariaAccount.token)).toEqual({
      ok: true,
      value: { ok: true },
    });
    const seenByOla = await waitFor(() => olaBoard.last()?.find((p: Presence) => p.name === 'Maria' && p.editing === 'rec-1'));
    expect(seenByOla).toMatchObject({ role: 'editor', viewing: 'rec-1' });
    // a viewer looks but never holds the prompt's lock; nobody speaks for another's board
    await command('setPresence', { session: 'session-ola-0001', viewing: 'rec-1', editing: 'rec-1' }, olaAccount.token);
    await waitFor(() => mariaBoard.last()?.find((p: Presence) => p.name === 'Ola' && p.viewing === 'rec-1'));
    expect(mariaBoard.last()?.find((p) => p.name === 'Ola')?.editing).toBeNull();
    expect(await command('setPresence', { session: 'session-maria-1', viewing: null, editing: null }, olaAccount.token)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // the snapshot a (re)connecting board loads carries it too
    const snapshot = (await command('snapshot', {}, olaAccount.token)) as { value: { presence: Presence[] } };
    expect(snapshot.value.presence.map((p) => p.name)).toEqual(['Maria', 'Ola']);

    mariaBoard.ws.close();
    await waitFor(() => olaBoard.last()?.length === 1);
    expect(olaBoard.last()).toMatchObject([{ name: 'Ola' }]);
  });
});
