// Who did what, on a real board core: each command's events carry its author, the card shows the
// latest approval, rejection, retraction and prompt edit with who and when, the desk's own work
// (and what listeners do after a commit) carries nobody, and the audit lists it newest first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { asDesk, currentActor, runAs } from '../../electron/core/store/actor-context.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
let board: BoardCore | null = null;
afterEach(() => {
  board?.close();
  board = null;
  dirs.cleanup();
});

const maria = { name: 'Maria', role: 'editor' } as const;
const kim = { name: 'Kim', role: 'editor' } as const;

async function run(name: string, input: unknown, actor: { name: string; role: 'viewer' | 'editor' | 'admin' }) {
  const result = await board!.core.dispatch(name, input, actor);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
  return result.value;
}

async function card(id: string): Promise<Card> {
  const snapshot = (await run('snapshot', {}, maria)) as { cards: Card[] };
  return snapshot.cards.find((c) => c.articleId === id)!;
}

describe('attribution', () => {
  it('puts the author on every event a command writes and on the card, and nobody on the desk’s own work', async () => {
    let now = 1_000_000;
    board = createBoardCore(dirs.make(), { now: () => now });
    board.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
    board.addStory({ id: 'rec-2', status: 'generated' });
    const pushed: HeroEvent[] = [];
    board.core.onEvent((event) => pushed.push(event));
    // a listener writing after a commit (as outboxes and workers do) acts for the desk, not the editor
    board.store.onChange((changes) => {
      if (changes.articleIds.includes('rec-1')) board!.store.transaction(() => board!.store.logEvent('listener_wrote', null));
    });

    now = 2_000_000;
    await run('setPrompt', { articleId: 'rec-1', prompt: 'the bridge at dawn' }, kim);
    now = 3_000_000;
    await run('approve', { articleId: 'rec-1' }, maria);
    now = 4_000_000;
    await run('reject', { articleId: 'rec-2', reason: 'off topic' }, kim);

    const rows = board.store.db.all<{ type: string; actor: string | null }>(
      "SELECT type, actor FROM events WHERE article_id = 'rec-1' AND seq > 0 ORDER BY seq",
    );
    expect(rows.filter((row) => row.type === 'prompt_edited')).toEqual([{ type: 'prompt_edited', actor: 'Kim' }]);
    expect(rows.filter((row) => row.type === 'status').at(-1)).toEqual({ type: 'status', actor: 'Maria' });
    expect(board.store.db.all("SELECT actor FROM events WHERE type = 'listener_wrote'")).toEqual([{ actor: null }, { actor: null }]);
    // the seeding (the desk's own work) is attributed to nobody
    expect(board.store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'ingested' AND actor IS NOT NULL")?.n).toBe(0);

    const first = await card('rec-1');
    expect(first.decisions).toEqual({
      approved: { by: 'Maria', at: 3_000_000 },
      rejected: null,
      retracted: null,
      promptEdited: { by: 'Kim', at: 2_000_000 },
    });
    expect((await card('rec-2')).decisions).toMatchObject({ rejected: { by: 'Kim', at: 4_000_000 }, approved: null });
    // the card the board is pushed carries it too
    const lastPush = pushed
      .filter((event): event is Extract<HeroEvent, { type: 'card' }> => event.type === 'card' && event.card.articleId === 'rec-1')
      .at(-1);
    expect(lastPush?.card.decisions?.approved).toEqual({ by: 'Maria', at: 3_000_000 });

    const audit = (await run('audit', {}, { name: 'Ola', role: 'viewer' })) as {
      entries: { actor: string; action: string; articleId: string | null; headline: string | null; at: number }[];
    };
    expect(audit.entries.map((entry) => [entry.actor, entry.action, entry.articleId])).toEqual([
      ['Kim', 'rejected: off topic', 'rec-2'],
      ['Maria', 'approved', 'rec-1'],
      ['Kim', 'edited the prompt', 'rec-1'],
    ]);
    expect(audit.entries[1]).toMatchObject({ headline: 'Harbour bridge reopens', at: 3_000_000 });
    const onlyOne = (await run('audit', { articleId: 'rec-1', since: 2_500_000 }, maria)) as { entries: unknown[] };
    expect(onlyOne.entries).toEqual([expect.objectContaining({ actor: 'Maria', action: 'approved' })]);
  });

  it('keeps the author across awaits, and not in what a command only schedules as the desk', async () => {
    const seen: (string | null)[] = [];
    await runAs('Maria', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(currentActor());
      await new Promise<void>((resolve) => asDesk(() => setImmediate(() => (seen.push(currentActor()), resolve()))));
    });
    seen.push(currentActor());
    expect(seen).toEqual(['Maria', null, null]);
  });

  it('hero-desk audit lists it from the database, filtered by --article and --since', async () => {
    const dir = dirs.make();
    board = createBoardCore(dir);
    board.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
    board.addStory({ id: 'rec-2', status: 'generated' });
    await run('approve', { articleId: 'rec-1' }, maria);
    await run('reject', { articleId: 'rec-2' }, kim);
    board.close();
    board = null;
    // the board core's file under the desk's name, as `hero-desk start` keeps it
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'board.sqlite'), join(dir, 'hero-desk.db'));
    for (const suffix of ['-wal', '-shm']) {
      try {
        renameSync(join(dir, `board.sqlite${suffix}`), join(dir, `hero-desk.db${suffix}`));
      } catch {
        // checkpointed on close
      }
    }
    const cli = (args: string[]) => spawnSync(process.execPath, [CLI, 'audit', '--data-dir', dir, ...args], { encoding: 'utf8' });
    const all = cli([]);
    expect(all.status).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z\s+Kim\s+rejected\s+rec-2/);
    expect(lines[1]).toMatch(/Maria\s+approved\s+rec-1 “Harbour bridge reopens”/);
    expect(cli(['--article', 'rec-1']).stdout.trim().split('\n')).toHaveLength(1);
    expect(cli(['--since', '1h']).stdout.trim().split('\n')).toHaveLength(2);
    expect(cli(['--since', '2999-01-01']).stdout).toContain('nothing attributed in that range');
    const bad = cli(['--since', 'yesterday']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--since must be a date');
  }, 30_000);
});
