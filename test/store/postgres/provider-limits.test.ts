// Per-provider limits shared through PostgreSQL (store/postgres/provider-limits.ts): several workers,
// each with its own connection, together never exceed a provider's calls at once or per window; a slot
// whose holder died comes back when it expires; a caller that gives up while waiting leaves nothing.
import { expect, it } from 'vitest';
import { PostgresProviderLimits } from '../../../electron/core/store/postgres/provider-limits.ts';
import { describePostgres, postgresSchemas } from './pg-test.ts';

const schemas = postgresSchemas();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgres('PostgreSQL shared provider limits', () => {
  it('holds concurrency 2 across three workers that each call 4 times at once', async () => {
    const db = await schemas.fresh();
    const workers = [0, 1, 2].map(() => new PostgresProviderLimits(db.open(), { pollMs: 20 }));
    let now = 0;
    let most = 0;
    const call = async (limits: PostgresProviderLimits) => {
      const release = await limits.acquire('openai', { concurrency: 2 });
      now++;
      most = Math.max(most, now);
      await pause(40);
      now--;
      await release();
    };
    await Promise.all(workers.flatMap((limits) => [0, 1, 2, 3].map(() => call(limits))));
    expect(most).toBe(2);
    expect(now).toBe(0);
  });

  it('starts no more than ratePerMinute calls within one window, across workers', async () => {
    const db = await schemas.fresh();
    const windowMs = 600;
    const workers = [0, 1].map(() => new PostgresProviderLimits(db.open(), { windowMs, pollMs: 20 }));
    const starts: number[] = [];
    const began = performance.now();
    await Promise.all(
      workers.flatMap((limits) =>
        [0, 1, 2].map(async () => {
          await limits.acquire('replicate', { ratePerMinute: 3 });
          starts.push(performance.now() - began);
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    expect(starts).toHaveLength(6);
    // the first three go at once; the fourth waits for the first to leave the window
    expect(starts[2]!).toBeLessThan(windowMs / 2);
    expect(starts[3]! - starts[0]!).toBeGreaterThanOrEqual(windowMs - 30);
    for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThanOrEqual(windowMs - 30);
  });

  it('gives back the slot of a holder that died without releasing it, once it expires', async () => {
    const db = await schemas.fresh();
    const crashed = new PostgresProviderLimits(db.open(), { holdMs: 300, pollMs: 20 });
    await crashed.acquire('workers-ai', { concurrency: 1 }); // never released: the worker was SIGKILLed
    const survivor = new PostgresProviderLimits(db.open(), { holdMs: 300, pollMs: 20 });
    const began = performance.now();
    const release = await survivor.acquire('workers-ai', { concurrency: 1 });
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    await release();
    // released now: the next caller does not wait for an expiry
    const again = performance.now();
    await (
      await survivor.acquire('workers-ai', { concurrency: 1 })
    )();
    expect(performance.now() - again).toBeLessThan(250);
  });

  it('keeps providers apart: one at its limit does not hold up another', async () => {
    const db = await schemas.fresh();
    const limits = new PostgresProviderLimits(db.open(), { pollMs: 20 });
    await limits.acquire('openai', { concurrency: 1 });
    const release = await Promise.race([
      limits.acquire('replicate', { concurrency: 1 }),
      pause(2_000).then(() => {
        throw new Error('replicate waited for openai');
      }),
    ]);
    await release();
  });

  it('a caller that gives up while waiting gets its own reason and leaves no slot behind', async () => {
    const db = await schemas.fresh();
    const limits = new PostgresProviderLimits(db.open(), { pollMs: 20 });
    const release = await limits.acquire('openai', { concurrency: 1 });
    const controller = new AbortController();
    const waiting = limits.acquire('openai', { concurrency: 1 }, controller.signal);
    await pause(60);
    controller.abort(new Error('the job was cancelled'));
    await expect(waiting).rejects.toThrow('the job was cancelled');
    await release();
    const { rows } = await db.open().pool.query<{ n: string }>('SELECT count(*) AS n FROM provider_slots');
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
