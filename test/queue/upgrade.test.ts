// The engine's half of "deadline, then upgrade": at a generate job's deadline, a handler that asks
// for it gets its job turned into an upgrade (same row, same lease, no deadline, background
// priority) while a fallback generate job is queued on the next lane. Upgrades never drop a lane.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { QueueEngine, type JobHandler } from '../../electron/core/queue/engine.ts';
import { UPGRADE_PRIORITY, type LaneConfig } from '../../electron/core/queue/lanes.ts';
import type { JobRow } from '../../electron/core/store/jobs.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { lane, openStore, seedJob } from './fixtures.ts';

const dirs = tempDirs();
const engines: QueueEngine[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

const LANES = (): LaneConfig[] => [lane('breaking', { next: 'regular', concurrency: 2 }), lane('regular', { deadlineMs: 60_000 })];

function setup(generate: JobHandler, upgrade: JobHandler | undefined) {
  const store = openStore(dirs.make());
  stores.push(store);
  const engine = new QueueEngine({
    store,
    lanes: LANES(),
    logger: silentLogger(),
    handlers: { generate, publish: generate, ...(upgrade ? { upgrade } : {}) },
    pollMs: 10,
  });
  engines.push(engine);
  return { store, engine };
}

const jobs = (store: Store) =>
  store.db.all<Pick<JobRow, 'id' | 'kind' | 'lane' | 'status' | 'priority' | 'deadline_at'>>(
    'SELECT id, kind, lane, status, priority, deadline_at FROM jobs ORDER BY id',
  );

describe('QueueEngine upgrades at the deadline', () => {
  it('a running job goes on as an upgrade (its call is not aborted) while a fallback runs on the next lane', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const run: JobHandler['run'] = async (context) => {
      if (context.job.lane === 'regular') {
        seen.push('fallback done');
        return { type: 'done' };
      }
      await slow; // the premium call
      seen.push(`breaking done as ${context.job.kind} (aborted: ${context.signal.aborted}, upgrading: ${context.upgrading()})`);
      return { type: 'done' };
    };
    const upgraded: string[] = [];
    const generate: JobHandler = {
      run,
      upgradeAtDeadline: () => true,
      onUpgrade: (job, next, reason) => upgraded.push(`${job.article_id}→${next}: ${reason}`),
    };
    const { store, engine } = setup(generate, { run, keepsLane: true });
    const id = seedJob(store, 'a', 'breaking', { deadlineAt: Date.now() + 60 });
    engine.start();
    await waitFor(() => seen.includes('fallback done'), 5_000, 'fallback');
    expect(upgraded).toEqual(['a→regular: deadline of lane breaking passed']);
    expect(jobs(store).find((job) => job.id === id)).toMatchObject({
      kind: 'upgrade',
      lane: 'breaking',
      status: 'running',
      priority: UPGRADE_PRIORITY,
      deadline_at: null,
    });
    release();
    await waitFor(() => jobs(store).every((job) => job.status === 'done'), 5_000, 'both done');
    expect(seen).toEqual(['fallback done', 'breaking done as upgrade (aborted: false, upgrading: true)']);
    expect(jobs(store).map((job) => `${job.kind}@${job.lane}`)).toEqual(['upgrade@breaking', 'generate@regular']);
  });

  it('a queued job past its deadline becomes the upgrade; without an upgrade handler it simply drops', async () => {
    const ran: string[] = [];
    const run: JobHandler['run'] = async ({ job }) => {
      ran.push(`${job.article_id}:${job.kind}@${job.lane}`);
      if (job.article_id.startsWith('blocker')) await new Promise((resolve) => setTimeout(resolve, 150));
      return { type: 'done' };
    };
    const generate: JobHandler = { run, upgradeAtDeadline: () => true };
    const { store, engine } = setup(generate, { run, keepsLane: true });
    seedJob(store, 'blocker', 'breaking', { priority: 50 });
    seedJob(store, 'blocker2', 'breaking', { priority: 50 });
    seedJob(store, 'late', 'breaking', { deadlineAt: Date.now() + 40 });
    engine.start();
    await waitFor(() => ran.includes('late:upgrade@breaking') && ran.includes('late:generate@regular'), 5_000, 'upgrade and fallback');
    // the fallback goes first: the upgrade waits behind every story without an image
    expect(ran.indexOf('late:generate@regular')).toBeLessThan(ran.indexOf('late:upgrade@breaking'));

    const plain = setup({ run, upgradeAtDeadline: () => true }, undefined);
    seedJob(plain.store, 'blocker', 'breaking', { priority: 50 });
    seedJob(plain.store, 'blocker2', 'breaking', { priority: 50 });
    seedJob(plain.store, 'late', 'breaking', { deadlineAt: Date.now() + 40 });
    plain.engine.start();
    await waitFor(() => jobs(plain.store).every((job) => job.status === 'done'), 5_000, 'all done');
    expect(jobs(plain.store).map((job) => `${job.kind}@${job.lane}`)).toEqual([
      'generate@breaking',
      'generate@breaking',
      'generate@regular',
    ]);
  });

  it('an upgrade that cannot be done fails for good instead of dropping a lane', async () => {
    const failed: string[] = [];
    const run: JobHandler['run'] = async ({ job }) =>
      job.kind === 'upgrade' ? { type: 'demote', error: 'refused by the provider' } : { type: 'done' };
    const { store, engine } = setup({ run }, { run, keepsLane: true, onFailed: (job, error) => failed.push(`${job.kind}: ${error}`) });
    store.transaction(() => {
      seedJob(store, 'u', 'breaking');
      store.db.run("UPDATE jobs SET kind = 'upgrade'");
    });
    engine.start();
    await waitFor(() => failed.length === 1, 5_000, 'upgrade failed');
    expect(failed).toEqual(['upgrade: refused by the provider']);
    expect(jobs(store)).toEqual([expect.objectContaining({ kind: 'upgrade', lane: 'breaking', status: 'failed' })]);
  });

  it('at most one upgrade per story: a second late job just drops', async () => {
    const run: JobHandler['run'] = ({ job, signal }) =>
      job.lane === 'breaking'
        ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
        : Promise.resolve({ type: 'done' as const });
    const { store, engine } = setup({ run, upgradeAtDeadline: () => true }, { run, keepsLane: true });
    store.transaction(() => {
      seedJob(store, 's', 'breaking');
      store.db.run("UPDATE jobs SET kind = 'upgrade', status = 'queued', run_after = ?", Date.now() + 60_000); // an earlier upgrade, waiting
    });
    store.transaction(() =>
      store.db.run(
        "INSERT INTO jobs (kind, lane, article_id, priority, status, run_after, deadline_at, max_attempts, created_at, updated_at) VALUES ('generate', 'breaking', 's', 20, 'queued', 0, ?, 2, 0, 0)",
        Date.now() + 40,
      ),
    );
    engine.start();
    await waitFor(() => jobs(store).some((job) => job.kind === 'generate' && job.status === 'done'), 5_000, 'the late job dropped and ran');
    expect(jobs(store).map((job) => `${job.kind}@${job.lane}:${job.status}`)).toEqual(['upgrade@breaking:queued', 'generate@regular:done']);
  });
});
