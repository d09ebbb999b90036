// The engine shares commits between jobs without sharing their fate: the free slots of a lane are
// claimed in one transaction, and jobs whose runs end in the same turn are settled in one, each in
// its own savepoint (one job's failing effect or lost lease undoes only that job's writes).
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { QueueEngine, type JobHandler } from '../../electron/core/queue/engine.ts';
import { claimJobs, enqueueJob, settleJob, cancelOpenJobs } from '../../electron/core/store/jobs.ts';
import type { ChangeSet, Store } from '../../electron/core/store/store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { jobRow, lane, openStore, seedJob } from './fixtures.ts';

const dirs = tempDirs();
const engines: QueueEngine[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function setup(concurrency: number, handler: JobHandler) {
  const store = openStore(dirs.make());
  stores.push(store);
  const engine = new QueueEngine({
    store,
    lanes: [lane('regular', { concurrency })],
    logger: silentLogger(),
    handlers: { generate: handler, publish: handler },
    pollMs: 10,
  });
  engines.push(engine);
  const commits: ChangeSet[] = [];
  store.onChange((changes) => commits.push(changes));
  return { store, engine, commits };
}

const effectEvents = (store: Store) =>
  store.db.all<{ article_id: string }>("SELECT article_id FROM events WHERE type = 'effect' ORDER BY article_id").map((e) => e.article_id);

describe('queue commits shared between jobs', () => {
  it('fills all free slots of a lane with one claim commit', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { store, engine, commits } = setup(3, { run: async () => (await gate, { type: 'done' }) });
    const ids = ['a', 'b', 'c'].map((id) => seedJob(store, id, 'regular'));
    commits.length = 0;
    engine.start();
    await waitFor(() => ids.every((id) => jobRow(store, id)?.status === 'running'));
    expect(commits.map((c) => [...c.articleIds].sort())).toEqual([['a', 'b', 'c']]);
    release();
    await waitFor(() => ids.every((id) => jobRow(store, id)?.status === 'done'));
  });

  it('settles jobs that end together in one commit, and a failing effect undoes only its own job', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { store, engine, commits } = setup(3, {
      run: async ({ job }) => {
        await gate;
        return {
          type: 'done',
          effect: () => {
            store.logEvent('effect', job.article_id);
            if (job.article_id === 'b') throw new Error('effect failed half-way');
          },
        };
      },
    });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => seedJob(store, id, 'regular'));
    engine.start();
    await waitFor(() => [a, b, c].every((id) => jobRow(store, id!)?.status === 'running'));
    commits.length = 0;
    release();
    await waitFor(() => jobRow(store, a!)?.status === 'done' && jobRow(store, c!)?.status === 'done');
    // one commit for both, and it does not mention b: b's settle and its event were undone
    expect(commits.map((change) => [...change.articleIds].sort())).toEqual([['a', 'c']]);
    expect(effectEvents(store)).toEqual(['a', 'c']);
    // b keeps its lease (it expires and another run takes it): not done, not half-written
    expect(jobRow(store, b!)?.status).toBe('running');
  });

  it("claims most urgent first across queued jobs and a dead worker's expired lease", () => {
    const store = openStore(dirs.make());
    stores.push(store);
    seedJob(store, 'low', 'regular', { priority: 10 });
    seedJob(store, 'high', 'regular', { priority: 30 });
    const orphan = seedJob(store, 'mid', 'regular', { priority: 20 });
    store.db.run("UPDATE jobs SET status = 'running', lease_owner = 'dead', lease_expires_at = ? WHERE id = ?", Date.now() - 1, orphan);
    const claimed = claimJobs(store, 'regular', 'me', 30_000, 3);
    expect(claimed.map((job) => job.article_id)).toEqual(['high', 'mid', 'low']);
    expect(claimed.every((job) => job.lease_owner === 'me' && job.status === 'running')).toBe(true);
    expect(claimJobs(store, 'regular', 'me', 30_000, 3)).toEqual([]);
  });

  it('keeps one open job per story and kind: a finished job (done or cancelled) makes room for the next', () => {
    const store = openStore(dirs.make());
    stores.push(store);
    seedJob(store, 'a', 'regular');
    const again = () =>
      store.transaction(() =>
        enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: 'a', priority: 10, deadlineAt: null, maxAttempts: 3 }),
      );
    expect(again).toThrow(/UNIQUE|unique constraint/);
    const [job] = claimJobs(store, 'regular', 'me', 30_000, 1);
    expect(again).toThrow(/UNIQUE|unique constraint/); // running is open too
    store.transaction(() => settleJob(store, job!, 'me', { status: 'done' }));
    const next = again();
    expect(store.db.get<{ finished_at: number | null }>('SELECT finished_at FROM jobs WHERE id = ?', job!.id)?.finished_at).not.toBeNull();
    store.transaction(() => cancelOpenJobs(store, 'a', 'generate'));
    expect(
      store.db.get<{ status: string; finished_at: number | null }>('SELECT status, finished_at FROM jobs WHERE id = ?', next),
    ).toMatchObject({ status: 'cancelled' });
    expect(again()).toBeGreaterThan(next);
  });
});
