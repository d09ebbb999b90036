// A board stays live whoever does the work: what another connection commits to the same file (a
// `hero-desk worker` beside the desk) reaches this store's listeners, and this store's own commits
// are not told twice. Two connections on one real SQLite file; the end-to-end run with a worker
// process is test/cli/worker.test.ts.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { raiseProblem } from '../../electron/core/store/problems.ts';
import { setPaused } from '../../electron/core/store/queue-state.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { type ChangeSet } from '../../electron/core/store/store.ts';
import { seedJob } from '../queue/fixtures.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { testStore } from '../helpers/test-store.ts';

const dirs = tempDirs();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function twoConnections() {
  const path = join(dirs.make(), 'desk.sqlite');
  const desk = testStore(path);
  const worker = testStore(path);
  stores.push(desk, worker);
  const heard: ChangeSet[] = [];
  desk.onChange((changes) => heard.push(changes));
  desk.followOtherProcesses(10);
  return { desk, worker, heard };
}

const elsewhere = (heard: ChangeSet[]) => heard.filter((changes) => changes.elsewhere);
const tick = () => new Promise((resolve) => setTimeout(resolve, 40));

describe("another process's commits", () => {
  it('reach the listeners: the stories, notices, problems and lanes it changed', async () => {
    const { worker, heard } = twoConnections();
    seedJob(worker, 'rec-worker', 'regular');
    worker.notice('warn', 'made elsewhere', 'rec-worker');
    raiseProblem(worker, { id: 'provider:sd', area: 'provider', level: 'error', message: 'key refused' });
    setPaused(worker, true, 'regular', 'ops');
    await waitFor(() => elsewhere(heard).some((changes) => changes.queueChanged));
    const all = elsewhere(heard);
    expect(all.flatMap((changes) => changes.articleIds)).toContain('rec-worker');
    expect(all.flatMap((changes) => changes.notices)).toEqual([
      expect.objectContaining({ level: 'warn', message: 'made elsewhere', articleId: 'rec-worker' }),
    ]);
    expect(all.some((changes) => changes.problemsChanged)).toBe(true);
    // the process that raised it logs it; here only the board's list is refreshed
    expect(all.flatMap((changes) => changes.problems)).toEqual([]);
    expect(Math.max(...all.map((changes) => changes.seq))).toBe(worker.lastSeq());
  });

  it('tells its own commits once, also when they interleave with the other process', async () => {
    const { desk, worker, heard } = twoConnections();
    seedJob(worker, 'theirs-1', 'regular');
    seedJob(desk, 'ours-1', 'regular');
    seedJob(worker, 'theirs-2', 'regular');
    seedJob(desk, 'ours-2', 'regular');
    await waitFor(() =>
      elsewhere(heard)
        .flatMap((changes) => changes.articleIds)
        .includes('theirs-2'),
    );
    seedJob(desk, 'ours-3', 'regular'); // with nobody else writing
    await tick();
    await tick();
    const told = (id: string) => heard.filter((changes) => changes.articleIds.includes(id)).length;
    expect(['ours-1', 'ours-2', 'ours-3'].map(told)).toEqual([1, 1, 1]);
    expect(['theirs-1', 'theirs-2'].map(told)).toEqual([1, 1]);
    expect(heard.filter((changes) => changes.articleIds.includes('ours-1'))[0]?.elsewhere).toBeUndefined();
  });

  it('reads a long backlog over several ticks without losing any of it', async () => {
    const { worker, heard } = twoConnections();
    const ids = Array.from({ length: 1_500 }, (_, i) => `rec-${i}`);
    for (const id of ids) seedJob(worker, id, 'regular'); // 3,000 events: more than one page
    await waitFor(() => new Set(elsewhere(heard).flatMap((changes) => changes.articleIds)).size === ids.length);
    expect(elsewhere(heard).length).toBeGreaterThan(1);
  });

  it('is quiet when no one else writes', async () => {
    const { desk, heard } = twoConnections();
    seedJob(desk, 'ours', 'regular');
    await tick();
    await tick();
    expect(elsewhere(heard)).toEqual([]);
  });
});
