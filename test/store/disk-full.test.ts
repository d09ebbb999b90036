// A full disk, as SQLite sees it (PRAGMA max_page_count): the error says "disk full" with the
// folder instead of "cannot rollback", nothing half-written survives, and the `disk` problem
// reaches the board at once — held in memory while the database cannot write, written and
// then closed once it can.
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import { watchDisk, type DiskWatch } from '../../electron/core/app/disk-watch.ts';
import { createEventHub } from '../../electron/core/app/events.ts';
import { logProblems } from '../../electron/core/app/problem-log.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { DiskFullError } from '../../electron/core/base/machine-errors.ts';
import { insertArticle } from '../../electron/core/store/articles.ts';
import { enqueueJob } from '../../electron/core/store/jobs.ts';
import { flushHeldProblems, getProblem, listProblems, raiseProblem } from '../../electron/core/store/problems.ts';
import { Store, type ChangeSet } from '../../electron/core/store/store.ts';
import { fillDatabase, freeDatabase } from '../helpers/full-disk.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { articleInput } from '../queue/fixtures.ts';

const dirs = tempDirs();
const stores: Store[] = [];
const watches: DiskWatch[] = [];
afterEach(() => {
  for (const watch of watches.splice(0)) watch.stop();
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function open(): Store {
  const store = new Store(join(dirs.make(), '.hero-desk', 'hero-desk.db'));
  stores.push(store);
  return store;
}

const article = articleInput;

function count(store: Store, sql: string): number {
  return Number(store.db.get<{ n: number }>(sql)?.n ?? 0);
}

describe('a full disk', () => {
  it('says disk full with the folder and the next step, and rolls the whole transaction back', () => {
    const store = open();
    const folder = dirname(store.db.path);
    fillDatabase(store);
    let thrown: unknown;
    try {
      store.transaction(() => {
        insertArticle(store, article('a1'));
        enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: 'a1', priority: 10, deadlineAt: null, maxAttempts: 3 });
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DiskFullError);
    expect((thrown as Error).message).toBe(`the disk holding ${folder} is full: free some space; Hero Desk retries`);
    expect((thrown as Error).message).not.toContain('rollback');
    expect((thrown as { code: string }).code).toBe('ENOSPC'); // transient for every classifier
    // nothing of it was kept, and the connection is usable again
    expect(count(store, 'SELECT COUNT(*) AS n FROM articles')).toBe(0);
    freeDatabase(store);
    store.transaction(() => insertArticle(store, article('a1')));
    expect(count(store, 'SELECT COUNT(*) AS n FROM articles')).toBe(1);
    expect(store.db.integrityCheck()).toBe('ok');
  });

  it('holds a problem raised while the database cannot write, tells listeners, and writes it once it can', () => {
    const store = open();
    const changes: ChangeSet[] = [];
    store.onChange((change) => changes.push(change));
    fillDatabase(store);
    raiseProblem(store, { id: 'disk', area: 'disk', level: 'error', message: 'disk full', action: 'free space' });
    expect(changes.flatMap((c) => c.problems.map((p) => `${p.change}:${p.problem.id}`))).toEqual(['opened:disk']);
    expect(listProblems(store).map((p) => p.id)).toEqual(['disk']);
    expect(count(store, 'SELECT COUNT(*) AS n FROM problems')).toBe(0);
    expect(() => flushHeldProblems(store)).toThrow(DiskFullError);
    const openedAt = getProblem(store, 'disk')!.openedAt;

    freeDatabase(store);
    flushHeldProblems(store);
    expect(store.db.get<{ opened_at: number }>("SELECT opened_at FROM problems WHERE id = 'disk'")?.opened_at).toBe(openedAt);
    expect(count(store, "SELECT COUNT(*) AS n FROM events WHERE type = 'problem_opened'")).toBe(1);
    // listeners heard "opened" once, not again when it was written
    expect(changes.flatMap((c) => c.problems.map((p) => p.change))).toEqual(['opened']);
  });

  it('opens problem "disk" on the board at once, keeps it while full, and closes it once writes succeed', async () => {
    const store = open();
    const dataDir = dirname(store.db.path);
    const logged: string[] = [];
    const logger = silentLogger();
    const capture = {
      ...logger,
      error: (_o: unknown, m: string) => logged.push(`error ${m}`),
      info: (_o: unknown, m: string) => logged.push(`info ${m}`),
      warn: (_o: unknown, m: string) => logged.push(`warn ${m}`),
    };
    logProblems(store, capture as never);
    const watch = watchDisk({ store, dataDir, logger, settleMs: 150, probeMs: 20 });
    watches.push(watch);
    const hub = createEventHub(store, { urlFor: (key) => `http://media.test/${key}` });
    const board: HeroEvent[] = [];
    hub.onEvent((event) => board.push(event));

    fillDatabase(store);
    expect(() => store.transaction(() => insertArticle(store, article('a1')))).toThrow(DiskFullError);
    expect(watch.full).toBe(true);
    const problemsEvent = await waitFor(() => board.find((e) => e.type === 'problems'), 2_000, 'a problems event');
    expect(problemsEvent.type === 'problems' && problemsEvent.problems.map((p) => [p.id, p.area, p.level])).toEqual([
      ['disk', 'disk', 'error'],
    ]);
    expect(problemsEvent.type === 'problems' && problemsEvent.problems[0]?.message).toContain(dataDir);
    // stays open while the database is still full, however long
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(watch.full).toBe(true);
    expect(listProblems(store).map((p) => p.id)).toEqual(['disk']);

    freeDatabase(store);
    await waitFor(() => !watch.full, 5_000, 'the disk problem to close');
    expect(listProblems(store)).toEqual([]);
    const last = board.filter((e) => e.type === 'problems').at(-1);
    expect(last?.type === 'problems' && last.problems).toEqual([]);
    // the event log keeps the whole story, though it began while nothing could be written
    const story = store.db.all<{ type: string }>("SELECT type FROM events WHERE type LIKE 'problem_%' ORDER BY seq").map((e) => e.type);
    expect(story).toEqual(['problem_opened', 'problem_resolved']);
    // logged once when it opened, once when it closed
    expect(logged.filter((line) => line.includes('full')).map((line) => line.split(' ')[0])).toEqual(['error', 'info']);
    hub.dispose();
  });
});
