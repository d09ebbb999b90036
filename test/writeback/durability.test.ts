// The write-back outbox against the fake AITable: faults that last (a revoked-then-restored
// token, a long outage), a shutdown with thousands pending, and a SIGKILL in the middle of a
// batch all end with every record showing its article's state and one upload per image.
// HERO_DESK_LONG_FAULTS=1 runs the outages at their full length (60 s of 401, 5 min of 503).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startWriteBackWorker, type WriteBackWorker } from '../../electron/core/app/write-back-worker.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { listProblems } from '../../electron/core/store/problems.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { pendingWriteBacks } from '../../electron/core/store/writebacks.ts';
import { fakeServers } from '../aitable/helpers.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { expectRecordShowsState, fileStorage, openRecordingStore, seedArticles, uploadsPerName, writeBackFor } from './fixtures.ts';

const LONG = process.env.HERO_DESK_LONG_FAULTS === '1';
const UNAUTHORIZED_MS = LONG ? 60_000 : 3_000;
const OUTAGE_MS = LONG ? 300_000 : 4_000;

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const dirs = tempDirs();
const servers = fakeServers();
const workers: WriteBackWorker[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  for (const store of stores.splice(0)) store.close();
  await servers.closeAll();
  dirs.cleanup();
});

function setUp(dir: string) {
  const store = openRecordingStore(join(dir, 'hero-desk.db'));
  stores.push(store);
  return store;
}

function startWorker(
  store: Store,
  fake: Awaited<ReturnType<typeof servers.start>>,
  mediaDir: string,
  owner = 'test',
  requestsPerSecond = 5,
) {
  const worker = startWriteBackWorker({
    store,
    writeBack: writeBackFor(fake, requestsPerSecond),
    storage: fileStorage(mediaDir),
    logger: silentLogger(),
    owner,
    leaseMs: 1_000,
    coalesceMs: 0,
    retryBaseMs: 50,
    retryCapMs: 500,
  });
  workers.push(worker);
  worker.wake();
  return worker;
}

describe('durable write-back', () => {
  it(
    `keeps every state through a 401 for ${UNAUTHORIZED_MS / 1000} s and a 503 outage of ${OUTAGE_MS / 1000} s, with a problem open meanwhile`,
    async () => {
      const dir = dirs.make();
      const fake = await servers.start();
      const store = setUp(dir);
      const until = Date.now() + UNAUTHORIZED_MS;
      fake.inject({ status: 401, times: Number.MAX_SAFE_INTEGER, match: () => Date.now() < until });
      const ids = seedArticles(store, fake, dir, 30);
      startWorker(store, fake, dir);
      await waitFor(() => listProblems(store).some((p) => p.id === 'writeback:auth'), 10_000, 'the rejected token as a problem');
      expect(listProblems(store).find((p) => p.id === 'writeback:auth')?.action).toContain('Keys');
      await waitFor(() => pendingWriteBacks(store) === 0, UNAUTHORIZED_MS + 20_000, 'caught up after the 401');
      expect(listProblems(store).filter((p) => p.id.startsWith('writeback'))).toEqual([]);

      // the newsroom keeps working during a long outage: states change while AITable is down
      const outageEnds = Date.now() + OUTAGE_MS;
      fake.clearInjections();
      fake.inject({ status: 503, times: Number.MAX_SAFE_INTEGER, match: () => Date.now() < outageEnds });
      store.transaction(() =>
        ids
          .slice(0, 10)
          .forEach((id) => store.db.run("UPDATE articles SET status = 'rejected' WHERE id = ?", id) && store.logEvent('edited', id)),
      );
      await waitFor(() => listProblems(store).some((p) => p.id === 'writeback'), OUTAGE_MS + 5_000, 'the outage as a problem');
      await waitFor(() => pendingWriteBacks(store) === 0, OUTAGE_MS + 30_000, 'caught up after the outage');
      for (const id of ids) expectRecordShowsState(fake, store, fileStorage(dir), id);
      expect([...uploadsPerName(fake).values()].every((n) => n === 1)).toBe(true);
      expect(uploadsPerName(fake).size).toBe(10); // every third of 30 is published
      expect(listProblems(store)).toEqual([]);
    },
    60_000 + UNAUTHORIZED_MS + 2 * OUTAGE_MS,
  );

  it('a shutdown with thousands pending loses nothing: the next run writes them all, uploading each image once', async () => {
    const dir = dirs.make();
    const fake = await servers.start({ rateLimit: 50 });
    const store = setUp(dir);
    const ids = seedArticles(store, fake, dir, 2_000);
    expect(pendingWriteBacks(store)).toBe(2_000);
    const first = startWorker(store, fake, dir, 'first', 50);
    await waitFor(() => fake.requests.filter((r) => r.method === 'PATCH').length >= 3, 20_000, 'a few batches written');
    await first.stop();
    workers.splice(workers.indexOf(first), 1);
    const left = pendingWriteBacks(store);
    expect(left).toBeGreaterThan(1_500); // thousands still pending at shutdown
    startWorker(store, fake, dir, 'second', 50);
    await waitFor(() => pendingWriteBacks(store) === 0, 120_000, 'the rest written by the next run');
    for (const id of ids) expectRecordShowsState(fake, store, fileStorage(dir), id);
    expect([...uploadsPerName(fake).values()].every((n) => n === 1)).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'PATCH').every((r) => (r.body as { records: unknown[] }).records.length <= 10)).toBe(
      true,
    );
  }, 180_000);

  it('a SIGKILL in the middle of a batch: the next process writes the batch again, nothing lost or doubled', async () => {
    const dir = dirs.make();
    const fake = await servers.start();
    const store = setUp(dir);
    const ids = seedArticles(store, fake, dir, 45);
    let held = 0;
    let kill: (() => void) | null = null;
    // the third PATCH never answers until the child is dead: it dies mid-batch
    fake.onRequest = async (request) => {
      if (request.method !== 'PATCH' || ++held !== 3) return;
      kill?.();
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    const run = () => {
      const child = spawn(process.execPath, [CHILD, join(dir, 'hero-desk.db'), fake.baseUrl, fake.datasheetId, dir], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      return { child, exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
    };
    const first = run();
    kill = () => first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null); // killed
    expect(pendingWriteBacks(store)).toBeGreaterThan(0);
    fake.onRequest = null;
    const second = run();
    expect(await second.exited).toBe(0);
    for (const id of ids) expectRecordShowsState(fake, store, fileStorage(dir), id);
    // each published image uploaded once (a kill during an upload could cost one more; this one hit a PATCH)
    expect([...uploadsPerName(fake).values()].every((n) => n === 1)).toBe(true);
    expect(store.db.integrityCheck()).toBe('ok');
  }, 60_000);
});
