import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../electron/core/base/log.ts';
import { QueueEngine, type JobHandler } from '../../electron/core/queue/engine.ts';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import { convertToUpgrade, moveQueuedJob, openJob, type JobRow } from '../../electron/core/store/jobs.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { jobRow, lane, openStore, seedJob } from './fixtures.ts';
import type { LaneConfig } from '../../electron/core/queue/lanes.ts';

/** The detail a requeue event carries (store/jobs.ts writes it). */
const RequeuedSchema = z.object({ error: z.string() });

const dirs = tempDirs();
const engines: QueueEngine[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function setup(lanes: LaneConfig[], handler: JobHandler, options: { leaseMs?: number; owner?: string; store?: Store } = {}) {
  const store = options.store ?? openStore(dirs.make());
  if (!options.store) stores.push(store);
  const engine = new QueueEngine({
    store,
    lanes,
    logger: silentLogger(),
    handlers: { generate: handler, publish: handler },
    pollMs: 10,
    leaseMs: options.leaseMs,
    owner: options.owner,
  });
  engines.push(engine);
  return { store, engine };
}

function setupClaiming(claimLanes: string[]) {
  const store = openStore(dirs.make());
  stores.push(store);
  const handler: JobHandler = { run: async () => ({ type: 'done' }) };
  return new QueueEngine({
    store,
    lanes: [lane('regular')],
    logger: silentLogger(),
    handlers: { generate: handler, publish: handler },
    claimLanes,
  });
}

/** A handler that takes `ms` per job and remembers how many ran at once. */
function peakCounter(ms: number) {
  let running = 0;
  let peak = 0;
  const handler: JobHandler = {
    run: async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return { type: 'done' };
    },
  };
  return { handler, peak: () => peak };
}

describe('QueueEngine', () => {
  it('runs jobs in priority order within a lane', async () => {
    const order: string[] = [];
    const { store, engine } = setup([lane('regular')], { run: async ({ job }) => (order.push(job.article_id), { type: 'done' }) });
    seedJob(store, 'low', 'regular', { priority: 1 });
    seedJob(store, 'high', 'regular', { priority: 30 });
    seedJob(store, 'mid', 'regular', { priority: 10 });
    engine.start();
    await waitFor(() => order.length === 3);
    expect(order).toEqual(['high', 'mid', 'low']);
  });

  it('never runs more jobs in a lane than its concurrency', async () => {
    const slow = peakCounter(30);
    const { store, engine } = setup([lane('regular', { concurrency: 2 })], slow.handler);
    const ids = ['a', 'b', 'c', 'd', 'e'].map((id) => seedJob(store, id, 'regular'));
    engine.start();
    await waitFor(() => ids.every((id) => jobRow(store, id)?.status === 'done'));
    expect(slow.peak()).toBe(2);
  });

  it("holds a lane's concurrency across engines on one file (the desk and its workers)", async () => {
    const dir = dirs.make();
    const storeA = openStore(dir);
    const storeB = openStore(dir);
    stores.push(storeA, storeB);
    const slow = peakCounter(40);
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => seedJob(storeA, id, 'regular'));
    const regular = lane('regular', { concurrency: 2 });
    const a = setup([regular], slow.handler, { store: storeA, owner: 'A' });
    const b = setup([regular], slow.handler, { store: storeB, owner: 'B' });
    a.engine.start();
    b.engine.start();
    await waitFor(() => ids.every((id) => jobRow(storeA, id)?.status === 'done'));
    expect(slow.peak()).toBe(2);
  });

  it('claims only its own lanes, and a late job still moves down to a lane another engine claims', async () => {
    const dir = dirs.make();
    const storeA = openStore(dir);
    const storeB = openStore(dir);
    stores.push(storeA, storeB);
    const ran: string[] = [];
    const handler = (who: string): JobHandler => ({
      run: async ({ job }) => {
        ran.push(`${job.article_id}@${job.lane} by ${who}`);
        if (job.article_id === 'blocker') await new Promise((resolve) => setTimeout(resolve, 150));
        return { type: 'done' };
      },
    });
    const lanes = [lane('breaking', { next: 'regular' }), lane('regular')];
    const blocker = seedJob(storeA, 'blocker', 'breaking', { priority: 50 });
    const waiting = seedJob(storeA, 'waiting', 'breaking', { deadlineAt: Date.now() + 40 });
    const regularJob = seedJob(storeA, 'plain', 'regular');
    const a = new QueueEngine({
      store: storeA,
      lanes,
      logger: silentLogger(),
      handlers: { generate: handler('A'), publish: handler('A') },
      pollMs: 10,
      claimLanes: ['breaking'],
    });
    const b = new QueueEngine({
      store: storeB,
      lanes,
      logger: silentLogger(),
      handlers: { generate: handler('B'), publish: handler('B') },
      pollMs: 10,
      claimLanes: ['regular'],
    });
    engines.push(a, b);
    a.start();
    b.start();
    await waitFor(() => [blocker, waiting, regularJob].every((id) => jobRow(storeA, id)?.status === 'done'));
    expect(ran.sort()).toEqual(['blocker@breaking by A', 'plain@regular by B', 'waiting@regular by B']);
  });

  it('refuses a claim lane it does not know', () => {
    expect(() => setupClaiming(['breaking'])).toThrow(/claimLanes names breaking: not among the lanes regular/);
  });

  it('moves nothing on a stale read: another engine moved the job, or made it an upgrade, since', () => {
    const store = openStore(dirs.make());
    stores.push(store);
    const id = seedJob(store, 'a', 'breaking', { deadlineAt: Date.now() - 1 });
    const stale = openJob(store, 'a', 'generate')!;
    expect(store.transaction(() => moveQueuedJob(store, stale, 'regular', null))).toBe(true);
    // the second engine read the job before the first moved it: its move and its upgrade both refuse
    expect(store.transaction(() => moveQueuedJob(store, stale, 'regular', null))).toBe(false);
    expect(store.transaction(() => convertToUpgrade(store, stale, null, 1))).toBe(false);
    expect(jobRow(store, id)?.lane).toBe('regular');
    expect(store.db.all("SELECT seq FROM events WHERE type IN ('job_demoted', 'job_upgrade')")).toHaveLength(1);
  });

  it('retries with a persisted backoff, then drops the job to the next lane', async () => {
    const seen: { lane: string; attempt: number }[] = [];
    const requeues: string[] = [];
    const { store, engine } = setup([lane('breaking', { next: 'regular', maxAttempts: 2 }), lane('regular')], {
      run: async ({ job }) => {
        seen.push({ lane: job.lane, attempt: job.attempts });
        return job.lane === 'breaking' ? { type: 'retry', error: 'provider busy' } : { type: 'done' };
      },
      onRequeue: (_job, toLane, reason) => requeues.push(`${toLane}: ${reason}`),
    });
    const id = seedJob(store, 'a', 'breaking');
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'done');
    expect(seen).toEqual([
      { lane: 'breaking', attempt: 1 },
      { lane: 'breaking', attempt: 2 },
      { lane: 'regular', attempt: 1 },
    ]);
    expect(requeues).toEqual(['breaking: provider busy', 'regular: provider busy (after 2 attempts)']);
  });

  it('classifies thrown adapter errors: permanent ones drop a lane at once', async () => {
    const lanesSeen: string[] = [];
    const { store, engine } = setup([lane('regular', { next: 'default' }), lane('default')], {
      run: async ({ job }) => {
        lanesSeen.push(job.lane);
        if (job.lane === 'regular') throw new AdapterError('key rejected', 'auth');
        return { type: 'done' };
      },
    });
    const id = seedJob(store, 'a', 'regular');
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'done');
    expect(lanesSeen).toEqual(['regular', 'default']);
  });

  it('fails a job for good when the last lane gives up, and tells the handler', async () => {
    const failures: string[] = [];
    const { store, engine } = setup([lane('default', { maxAttempts: 2 })], {
      run: async () => ({ type: 'retry', error: 'disk full' }),
      onFailed: (_job, error) => failures.push(error),
    });
    const id = seedJob(store, 'a', 'default');
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'failed');
    expect(failures).toEqual(['disk full (after 2 attempts)']);
    expect(jobRow(store, id)?.last_error).toBe('disk full (after 2 attempts)');
  });

  it('aborts a running job at its lane deadline and moves it down', async () => {
    const { store, engine } = setup([lane('breaking', { next: 'regular' }), lane('regular')], {
      run: ({ job, signal }) =>
        job.lane === 'breaking'
          ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
          : Promise.resolve({ type: 'done' as const }),
    });
    const id = seedJob(store, 'a', 'breaking', { deadlineAt: Date.now() + 80 });
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'done');
    expect(jobRow(store, id)?.lane).toBe('regular');
    const requeued = store.db.all<{ detail: string }>("SELECT detail FROM events WHERE type = 'job_requeued'");
    expect(requeued.map((row) => RequeuedSchema.parse(JSON.parse(row.detail)).error)).toEqual(['deadline of lane breaking passed']);
  });

  it('moves a job whose deadline passes while it waits in the queue', async () => {
    const ran: string[] = [];
    const { store, engine } = setup([lane('breaking', { next: 'regular', concurrency: 1 }), lane('regular')], {
      run: async ({ job }) => {
        ran.push(`${job.article_id}@${job.lane}`);
        if (job.article_id === 'blocker') await new Promise((resolve) => setTimeout(resolve, 150));
        return { type: 'done' };
      },
    });
    seedJob(store, 'blocker', 'breaking', { priority: 50 });
    const waiting = seedJob(store, 'waiting', 'breaking', { deadlineAt: Date.now() + 40 });
    engine.start();
    await waitFor(() => jobRow(store, waiting)?.status === 'done');
    expect(ran).toContain('waiting@regular');
  });

  it('on shutdown puts running jobs back in the queue without spending an attempt', async () => {
    const { store, engine } = setup([lane('regular')], {
      run: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    const id = seedJob(store, 'a', 'regular');
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'running');
    await engine.stop();
    expect(jobRow(store, id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('lets another worker take over a job whose lease expired, and the old worker cannot finish it', async () => {
    const dir = dirs.make();
    const storeA = openStore(dir);
    const storeB = openStore(dir);
    stores.push(storeA, storeB);
    const id = seedJob(storeA, 'a', 'regular');
    let releaseA: () => void = () => {};
    const effects: string[] = [];
    const stalled: JobHandler = {
      run: () =>
        new Promise((resolve) => {
          releaseA = () => resolve({ type: 'done', effect: () => effects.push('A') });
        }),
    };
    const a = setup([lane('regular')], stalled, { store: storeA, leaseMs: 60_000, owner: 'A' });
    a.engine.start();
    await waitFor(() => jobRow(storeA, id)?.status === 'running');
    // simulate A's process freezing: its lease runs out
    storeA.db.run('UPDATE jobs SET lease_expires_at = ? WHERE id = ?', Date.now() - 1, id);
    const b = setup(
      [lane('regular')],
      { run: async () => ({ type: 'done', effect: () => effects.push('B') }) },
      { store: storeB, owner: 'B' },
    );
    b.engine.start();
    await waitFor(() => jobRow(storeB, id)?.status === 'done');
    releaseA();
    await a.engine.stop();
    expect(effects).toEqual(['B']);
    expect(jobRow(storeA, id)?.attempts).toBe(2);
  });

  it('honours a retry-after longer than its own backoff', async () => {
    const { store, engine } = setup([lane('regular', { maxAttempts: 5 })], {
      run: async ({ job }) => (job.attempts === 1 ? { type: 'retry', error: 'rate limited', retryAfterMs: 60_000 } : { type: 'done' }),
    });
    const id = seedJob(store, 'a', 'regular');
    const before = Date.now();
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'queued' && jobRow(store, id)?.attempts === 1);
    expect(jobRow(store, id)!.run_after).toBeGreaterThanOrEqual(before + 60_000);
  });
});

export type { JobRow };
