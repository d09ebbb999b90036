// Several BackendWorkers (standing in for `hero-desk worker` processes) on one PostgreSQL queue: the
// lane's concurrency is the database's, not each worker's, and an idle worker wakes on NOTIFY.
import { afterEach, expect, it } from 'vitest';
import { BackendWorker, type BackendLane } from '../../../electron/core/queue/backend-worker.ts';
import type { PostgresTx } from '../../../electron/core/store/postgres/job-queue.ts';
import { waitFor } from '../../helpers/temp.ts';
import { describePostgres, job, postgresSchemas } from './pg-test.ts';

const schemas = postgresSchemas();
const workers: BackendWorker<PostgresTx>[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

const lane = (overrides: Partial<BackendLane> = {}): BackendLane => ({
  name: 'regular',
  concurrency: 2,
  slots: 2,
  backoffBaseMs: 5,
  backoffCapMs: 20,
  ...overrides,
});

describePostgres('PostgreSQL queue workers', () => {
  it('holds lane concurrency 2 across 3 workers that could each run 2', async () => {
    const db = await schemas.fresh();
    const producer = await db.queue();
    for (let i = 0; i < 24; i++) await producer.enqueue(job(`rec${i}`));
    let runningNow = 0;
    let most = 0;
    const ranBy = new Map<string, number>();
    for (let w = 0; w < 3; w++) {
      const worker: BackendWorker<PostgresTx> = new BackendWorker({
        backend: await db.queue(db.open(4)),
        lanes: [lane()],
        pollMs: 20,
        owner: `worker${w}`,
        run: async () => {
          runningNow++;
          most = Math.max(most, runningNow);
          ranBy.set(worker.owner, (ranBy.get(worker.owner) ?? 0) + 1);
          // long enough that the other workers' claims come while both slots are taken
          await new Promise((resolve) => setTimeout(resolve, 15));
          runningNow--;
          return { type: 'done' };
        },
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.start()));
    await waitFor(async () => (await producer.openJobCount()) === 0, 20_000, 'every job to be done');
    expect(most).toBe(2);
    expect([...ranBy.values()].reduce((a, b) => a + b, 0)).toBe(24);
  });

  it('wakes an idle worker on NOTIFY, long before its next poll', async () => {
    const db = await schemas.fresh();
    const done: number[] = [];
    const worker = new BackendWorker<PostgresTx>({
      backend: await db.queue(),
      lanes: [lane()],
      pollMs: 3_600_000, // it would not look again for an hour on its own
      run: async (row) => {
        done.push(row.id);
        return { type: 'done' };
      },
    });
    workers.push(worker);
    await worker.start();
    await waitFor(() => worker.runningCount() === 0, 5_000, 'the first, empty look');
    const id = await (await db.queue()).enqueue(job('late'));
    await waitFor(() => done.length > 0, 20_000, 'the worker to wake and run the job');
    expect(done).toEqual([id]);
  });

  it('settles with the effect in the same transaction, and puts a failed run back with its backoff', async () => {
    const db = await schemas.fresh();
    const queue = await db.queue();
    await db.open().pool.query('CREATE TABLE effects (article_id TEXT)');
    const ok = await queue.enqueue(job('ok'));
    const flaky = await queue.enqueue(job('flaky', { maxAttempts: 2 }));
    const worker = new BackendWorker<PostgresTx>({
      backend: queue,
      lanes: [lane()],
      pollMs: 10,
      run: async (row) =>
        row.article_id === 'ok'
          ? { type: 'done', effect: async (tx) => void (await tx.query('INSERT INTO effects VALUES ($1)', [row.article_id])) }
          : { type: 'retry', error: 'provider 503' },
    });
    workers.push(worker);
    await worker.start();
    await waitFor(async () => (await queue.openJobCount()) === 0, 20_000, 'both jobs to end');
    expect(await queue.job(ok)).toMatchObject({ status: 'done' });
    expect(await queue.job(flaky)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'provider 503' });
    const { rows } = await db.open().pool.query('SELECT article_id FROM effects');
    expect(rows).toEqual([{ article_id: 'ok' }]);
  });
});
