// Per-provider limits counted in the store (app/provider-limits.ts): the desk and a worker on
// one file share a provider's concurrency and rate; a dead holder's slot frees (at once on this
// machine, at its expiry elsewhere); a waiter that gives up leaves nothing behind.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreProviderLimits } from '../../electron/core/app/provider-limits.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { takeProviderSlot } from '../../electron/core/store/provider-slots.ts';
import { openStore } from '../queue/fixtures.ts';
import { tempDirs } from '../helpers/temp.ts';
import { TEST_STORE } from '../helpers/test-store.ts';

const dirs = tempDirs();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function twoConnections(): [Store, Store] {
  const dir = dirs.make();
  const pair: [Store, Store] = [openStore(dir), openStore(dir)];
  stores.push(...pair);
  return pair;
}

const slotCount = (store: Store) => Number(store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM provider_slots')!.n);

describe('provider limits shared through the store', () => {
  it("holds a provider's concurrency across two processes' limiters on one file", async () => {
    const [a, b] = twoConnections();
    const limiters = [new StoreProviderLimits(a, { pollMs: 10 }), new StoreProviderLimits(b, { pollMs: 10 })];
    let running = 0;
    let peak = 0;
    const call = async (limiter: StoreProviderLimits) => {
      const release = await limiter.acquire('sdxl', { concurrency: 2 }, new AbortController().signal);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 25));
      running--;
      release();
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => call(limiters[i % 2]!)));
    expect(peak).toBe(2);
    expect(slotCount(a)).toBe(0);
  });

  it('starts no more than ratePerMinute calls within one window, across limiters', async () => {
    const [a, b] = twoConnections();
    const limiters = [new StoreProviderLimits(a, { windowMs: 300, pollMs: 10 }), new StoreProviderLimits(b, { windowMs: 300, pollMs: 10 })];
    const started: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (i) => {
        const release = await limiters[i % 2]!.acquire('openai', { ratePerMinute: 3 }, new AbortController().signal);
        started.push(Date.now());
        release();
      }),
    );
    started.sort((x, y) => x - y);
    // the window counts from the start written in the store; a caller hears of its start one commit
    // later, which on PostgreSQL is a few round trips (the lock, the write, the notify, the commit)
    const heardLate = TEST_STORE === 'postgres' ? 40 : 5;
    expect(started[3]! - started[0]!).toBeGreaterThanOrEqual(300 - heardLate);
    expect(started[5]! - started[2]!).toBeGreaterThanOrEqual(300 - heardLate);
  });

  it('frees a slot whose holder died on this machine at once, and one held elsewhere when it expires', async () => {
    const [store] = twoConnections();
    const limiter = new StoreProviderLimits(store, { pollMs: 10 });
    store.transaction(() => takeProviderSlot(store, 'sdxl', `${hostname()}:2147483646:dead`, Date.now() + 60_000));
    const release = await limiter.acquire('sdxl', { concurrency: 1 }, AbortSignal.timeout(1_000));
    release();
    store.transaction(() => takeProviderSlot(store, 'sdxl', 'another-host:42:live', Date.now() + 150));
    const before = Date.now();
    const next = await limiter.acquire('sdxl', { concurrency: 1 }, AbortSignal.timeout(2_000));
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
    next();
    expect(slotCount(store)).toBe(0);
  });

  it('rejects a waiter whose call was aborted, and takes no slot for it', async () => {
    const [store] = twoConnections();
    const limiter = new StoreProviderLimits(store, { pollMs: 10 });
    const held = await limiter.acquire('sdxl', { concurrency: 1 }, new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire('sdxl', { concurrency: 1 }, controller.signal);
    setTimeout(() => controller.abort(new Error('deadline')), 30);
    await expect(waiting).rejects.toThrow('deadline');
    expect(slotCount(store)).toBe(1);
    held();
    expect(slotCount(store)).toBe(0);
  });
});
