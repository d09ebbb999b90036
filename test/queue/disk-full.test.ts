// Jobs that hit a full disk wait for space: retried without spending their attempts, never
// moved down a lane or failed for good, and their result is kept until the database takes it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { QueueEngine, type JobHandler } from '../../electron/core/queue/engine.ts';
import type { LaneConfig } from '../../electron/core/queue/lanes.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { fillDatabase, freeDatabase, tinyDisk } from '../helpers/full-disk.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { TEST_STORE } from '../helpers/test-store.ts';
import { jobRow, lane, openStore, seedJob } from './fixtures.ts';

const dirs = tempDirs();
const engines: QueueEngine[] = [];
const stores: Store[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  try {
    for (const engine of engines.splice(0)) await engine.stop();
    for (const store of stores.splice(0)) store.close();
  } finally {
    for (const cleanup of cleanups.splice(0)) cleanup(); // never leave a tmpfs mounted
    dirs.cleanup();
  }
});

function setup(lanes: LaneConfig[], handler: JobHandler, paused?: () => boolean) {
  const store = openStore(dirs.make());
  stores.push(store);
  const engine = new QueueEngine({
    store,
    lanes,
    logger: silentLogger(),
    handlers: { generate: handler, publish: handler },
    pollMs: 10,
    leaseMs: 300,
    paused,
  });
  engines.push(engine);
  return { store, engine };
}

/** ENOSPC from a real write: a full tmpfs when we may mount one, else the error Node raises for it. */
function noSpaceError(): () => Error {
  const disk = tinyDisk('64k');
  if (!disk)
    return () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  cleanups.push(() => disk.unmount());
  disk.fill();
  return () => {
    try {
      writeFileSync(join(disk.dir, 'image.png'), Buffer.alloc(4096));
    } catch (error) {
      return error as Error;
    }
    throw new Error('the tiny disk was not full');
  };
}

// a full disk is the SQLite file's fault; PostgreSQL reports its own (53100) as any failed statement
describe.skipIf(TEST_STORE === 'postgres')('a job on a full disk', () => {
  it('is retried far past maxAttempts on its last lane and finishes once there is space', async () => {
    const enospc = noSpaceError();
    let runs = 0;
    const { store, engine } = setup([lane('default', { maxAttempts: 2, backoffCapMs: 5 })], {
      run: async () => {
        runs++;
        if (runs <= 6) throw enospc();
        return { type: 'done' };
      },
    });
    const id = seedJob(store, 'a1', 'default', { maxAttempts: 2 });
    engine.start();
    await waitFor(() => jobRow(store, id)?.status === 'done', 10_000, 'the job to finish');
    expect(runs).toBe(7);
    // the disk-full runs were given back: only the run that succeeded counts
    expect(jobRow(store, id)?.attempts).toBe(1);
    expect(jobRow(store, id)?.lane).toBe('default');
  });

  it('keeps a finished result while the database is full and settles it once it is not', async () => {
    let ran = false;
    const holder: { store?: Store } = {};
    const setupResult = setup([lane('regular')], {
      run: async () => {
        ran = true;
        fillDatabase(holder.store!); // the disk fills while the job runs: its settle cannot be written
        return { type: 'done', effect: () => holder.store!.logEvent('effect', 'a1', { ok: true }) };
      },
    });
    const store = (holder.store = setupResult.store);
    const id = seedJob(store, 'a1', 'regular');
    setupResult.engine.start();
    await waitFor(() => ran, 5_000, 'the job to run');
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than the lease
    expect(jobRow(store, id)?.status).toBe('running');
    freeDatabase(store);
    await waitFor(() => jobRow(store, id)?.status === 'done', 5_000, 'the settle to be written');
    expect(jobRow(store, id)?.attempts).toBe(1);
    expect(store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'effect'")?.n).toBe(1);
  });

  it('is not claimed while the engine is paused (the disk problem is open)', async () => {
    let full = true;
    let runs = 0;
    const { store, engine } = setup([lane('regular')], { run: async () => (runs++, { type: 'done' }) }, () => full);
    const id = seedJob(store, 'a1', 'regular');
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(runs).toBe(0);
    expect(jobRow(store, id)?.status).toBe('queued');
    full = false;
    await waitFor(() => jobRow(store, id)?.status === 'done', 5_000, 'the job once unpaused');
  });
});
