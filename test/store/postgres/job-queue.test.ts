// The PostgreSQL job queue on a real server, several connections standing in for workers on several
// machines: no job claimed twice, a lost lease cannot settle, lane concurrency is shared, NOTIFY wakes.
import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../electron/core/store/job-queue-backend.ts';
import type { PostgresJobQueue } from '../../../electron/core/store/postgres/job-queue.ts';
import { waitFor } from '../../helpers/temp.ts';
import { describePostgres, job, postgresSchemas } from './pg-test.ts';

const schemas = postgresSchemas();
const LEASE_MS = 30_000;

async function enqueueMany(queue: PostgresJobQueue, count: number, lane = 'regular'): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(await queue.enqueue(job(`rec${i}`, { lane, priority: i % 3 })));
  return ids;
}

describePostgres('PostgreSQL job queue', () => {
  describe('claims', () => {
    it('three connections claiming at once never get the same job, and together get every job', async () => {
      const db = await schemas.fresh();
      const queues = await Promise.all([db.queue(), db.queue(), db.queue()]);
      const ids = await enqueueMany(queues[0], 150);
      const claimedBy = await Promise.all(
        queues.map(async (queue, worker) => {
          const mine: number[] = [];
          for (;;) {
            const jobs = await queue.claim('regular', `worker${worker}`, LEASE_MS, 4, 1_000);
            if (jobs.length === 0) return mine;
            mine.push(...jobs.map((claimed) => claimed.id));
          }
        }),
      );
      const all = claimedBy.flat();
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort((a, b) => a - b)).toEqual(ids);
      expect(claimedBy.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
    });

    it('claims the most urgent due jobs first and leaves jobs not yet due', async () => {
      const queue = await (await schemas.fresh()).queue();
      const low = await queue.enqueue(job('a', { priority: 0 }));
      const high = await queue.enqueue(job('b', { priority: 5 }));
      await queue.enqueue({ ...job('c', { priority: 9 }), runAfter: Date.now() + 3_600_000 });
      const claimed = await queue.claim('regular', 'w', LEASE_MS, 10, 10);
      expect(claimed.map((row) => row.id)).toEqual([high, low]);
      expect(claimed.every((row) => row.status === 'running' && row.lease_owner === 'w' && row.attempts === 1)).toBe(true);
    });
  });

  describe('leases', () => {
    it('reclaims a job whose lease expired, and refuses the old owner its settle, its renewal and its effect', async () => {
      const db = await schemas.fresh();
      const [first, second] = [await db.queue(), await db.queue()];
      const id = await first.enqueue(job('story'));
      const [mine] = await first.claim('regular', 'old-owner', 200, 1, 5);
      expect(mine?.id).toBe(id);
      expect(await second.claim('regular', 'new-owner', LEASE_MS, 1, 5)).toEqual([]); // still leased
      const [taken] = await waitFor(
        async () => {
          const jobs = await second.claim('regular', 'new-owner', LEASE_MS, 1, 5);
          return jobs.length > 0 ? jobs : null;
        },
        10_000,
        'the expired lease to be reclaimed',
      );
      expect(taken).toMatchObject({ id, lease_owner: 'new-owner', attempts: 2 });

      let effectRan = false;
      await expect(
        first.settle(mine!, 'old-owner', { status: 'done' }, async () => {
          effectRan = true;
        }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(effectRan).toBe(false);
      await expect(first.settle(mine!, 'old-owner', { status: 'failed', error: 'late' })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(
        first.requeue(mine!, 'old-owner', { lane: 'regular', runAfter: 0, deadlineAt: null, attempts: 'keep', error: null }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(await first.renewLease(id, 'old-owner', LEASE_MS)).toBe(false);
      expect(await first.holdsLease(id, 'old-owner')).toBe(false);

      await second.settle(taken!, 'new-owner', { status: 'done' });
      expect(await second.job(id)).toMatchObject({ status: 'done', lease_owner: null });
      expect(await second.openJobCount()).toBe(0);
    });

    it('a heartbeat keeps the job: renewed leases are not reclaimed', async () => {
      const db = await schemas.fresh();
      const [owner, other] = [await db.queue(), await db.queue()];
      const id = await owner.enqueue(job('story'));
      await owner.claim('regular', 'owner', 300, 1, 5);
      const before = (await owner.job(id))!.lease_expires_at!;
      await waitFor(async () => Date.now() > before - 150, 5_000, 'most of the lease to pass');
      expect(await owner.renewLease(id, 'owner', 60_000)).toBe(true);
      await waitFor(async () => Date.now() > before + 50, 5_000, 'the first lease to have run out');
      expect(await other.claim('regular', 'other', LEASE_MS, 1, 5)).toEqual([]);
      expect(await owner.holdsLease(id, 'owner')).toBe(true);
    });

    it('runs a settle effect in the settle transaction, and undoes the settle when the effect fails', async () => {
      const db = await schemas.fresh();
      const queue = await db.queue();
      await db.open().pool.query('CREATE TABLE effects (job_id BIGINT)');
      await queue.enqueue(job('a'));
      await queue.enqueue(job('b'));
      const [a, b] = await queue.claim('regular', 'w', LEASE_MS, 2, 5);
      await queue.settle(a!, 'w', { status: 'done' }, async (tx) => {
        await tx.query('INSERT INTO effects (job_id) VALUES ($1)', [a!.id]);
      });
      await expect(
        queue.settle(b!, 'w', { status: 'done' }, async (tx) => {
          await tx.query('INSERT INTO effects (job_id) VALUES ($1)', [b!.id]);
          throw new Error('effect failed');
        }),
      ).rejects.toThrow('effect failed');
      const { rows } = await db.open().pool.query<{ job_id: string }>('SELECT job_id FROM effects');
      expect(rows.map((row) => Number(row.job_id))).toEqual([a!.id]);
      expect(await queue.holdsLease(b!.id, 'w')).toBe(true); // still ours to settle again
    });

    it('settles a batch in one commit where a lost lease or a failed effect undoes only its own job', async () => {
      const db = await schemas.fresh();
      const queue = await db.queue();
      await db.open().pool.query('CREATE TABLE effects (job_id BIGINT)');
      for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(job(id));
      const [a, b, c, d] = await queue.claim('regular', 'w', LEASE_MS, 4, 10);
      const mark = (row: typeof a) => async (tx: { query(sql: string, values: unknown[]): Promise<unknown> }) => {
        await tx.query('INSERT INTO effects (job_id) VALUES ($1)', [row!.id]);
      };
      const results = await queue.settleAll([
        { job: a!, owner: 'w', settle: { status: 'done' }, effect: mark(a) },
        { job: b!, owner: 'someone-else', settle: { status: 'done' }, effect: mark(b) },
        {
          job: c!,
          owner: 'w',
          settle: { status: 'done' },
          effect: async (tx) => {
            await mark(c)(tx);
            throw new Error('effect failed');
          },
        },
        { job: d!, owner: 'w', requeue: { lane: 'breaking', runAfter: 0, deadlineAt: null, attempts: 'reset', error: 'moved' } },
      ]);
      expect(results[0]).toBeUndefined();
      expect(results[1]).toBeInstanceOf(LeaseLostError);
      expect(results[2]).toMatchObject({ message: 'effect failed' });
      expect(results[3]).toBeUndefined();
      const { rows } = await db.open().pool.query<{ job_id: string }>('SELECT job_id FROM effects');
      expect(rows.map((row) => Number(row.job_id))).toEqual([a!.id]);
      expect(await queue.job(a!.id)).toMatchObject({ status: 'done' });
      expect(await queue.job(b!.id)).toMatchObject({ status: 'running', lease_owner: 'w' });
      expect(await queue.job(c!.id)).toMatchObject({ status: 'running', lease_owner: 'w' });
      expect(await queue.job(d!.id)).toMatchObject({ status: 'queued', lane: 'breaking', attempts: 0, last_error: 'moved' });
    });

    it('a requeue gives the attempt back on shutdown and waits out its backoff', async () => {
      const queue = await (await schemas.fresh()).queue();
      const id = await queue.enqueue(job('a'));
      const [claimed] = await queue.claim('regular', 'w', LEASE_MS, 1, 5);
      await queue.requeue(claimed!, 'w', {
        lane: 'regular',
        runAfter: Date.now() + 3_600_000,
        deadlineAt: null,
        attempts: 'refund',
        error: null,
      });
      expect(await queue.job(id)).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
      expect(await queue.claim('regular', 'w', LEASE_MS, 1, 5)).toEqual([]);
    });
  });

  describe('lane concurrency', () => {
    it('holds across connections claiming at the same moment, round after round', async () => {
      const db = await schemas.fresh();
      const queues = await Promise.all([db.queue(), db.queue(), db.queue()]);
      await enqueueMany(queues[0], 60);
      for (let round = 0; round < 20; round++) {
        const claimed = await Promise.all(queues.map((queue, i) => queue.claim('regular', `w${i}`, LEASE_MS, 2, 2)));
        expect(claimed.flat(), `round ${round}`).toHaveLength(2);
        for (const [i, jobs] of claimed.entries()) for (const row of jobs) await queues[i]!.settle(row, `w${i}`, { status: 'done' });
      }
    });

    it('counts each lane apart, and a slot freed by one worker is free for any', async () => {
      const db = await schemas.fresh();
      const [a, b] = [await db.queue(), await db.queue()];
      await enqueueMany(a, 4);
      await a.enqueue(job('other-lane', { lane: 'breaking' }));
      const held = await a.claim('regular', 'a', LEASE_MS, 5, 2);
      expect(held).toHaveLength(2);
      expect(await b.claim('regular', 'b', LEASE_MS, 5, 2)).toEqual([]);
      expect(await b.claim('breaking', 'b', LEASE_MS, 5, 2)).toHaveLength(1);
      await a.settle(held[0]!, 'a', { status: 'done' });
      expect(await b.claim('regular', 'b', LEASE_MS, 5, 2)).toHaveLength(1);
    });

    it('an expired lease no longer takes a slot', async () => {
      const db = await schemas.fresh();
      const [dead, alive] = [await db.queue(), await db.queue()];
      await enqueueMany(dead, 3);
      expect(await dead.claim('regular', 'dead', 150, 2, 2)).toHaveLength(2);
      const taken = await waitFor(
        async () => {
          const jobs = await alive.claim('regular', 'alive', LEASE_MS, 2, 2);
          return jobs.length > 0 ? jobs : null;
        },
        10_000,
        'the slots of the dead worker to free',
      );
      expect(taken).toHaveLength(2);
      expect(taken.every((row) => row.attempts === 2)).toBe(true); // the dead worker's jobs first, longest-leased first
    });
  });

  describe('notifications', () => {
    it('tells a listening worker about each new job, naming its lane', async () => {
      const db = await schemas.fresh();
      const [listener, producer] = [await db.queue(), await db.queue()];
      const heard: string[] = [];
      const subscription = await listener.onWork((lane) => heard.push(lane));
      try {
        await producer.enqueue(job('a', { lane: 'breaking' }));
        await producer.enqueue(job('b', { lane: 'regular' }));
        await waitFor(() => heard.length >= 2, 10_000, 'two notifications');
        expect(heard).toEqual(['breaking', 'regular']);
      } finally {
        await subscription.close();
      }
    });

    it('does not hear jobs of a queue in another schema of the same database', async () => {
      const [mine, theirs] = [await (await schemas.fresh()).queue(), await (await schemas.fresh()).queue()];
      const heard: string[] = [];
      const subscription = await mine.onWork((lane) => heard.push(lane));
      try {
        await theirs.enqueue(job('theirs', { lane: 'elsewhere' }));
        await mine.enqueue(job('mine', { lane: 'here' }));
        await waitFor(() => heard.length >= 1, 10_000, 'the own notification');
        expect(heard).toEqual(['here']);
      } finally {
        await subscription.close();
      }
    });
  });
});
