// The write-back worker on a real full disk (a tmpfs, root only): a round whose writes the
// database refuses must not take the process down (an unhandled rejection); once there is
// space every record shows its article's state.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWriteBackWorker, type WriteBackWorker } from '../../electron/core/app/write-back-worker.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import type { Store } from '../../electron/core/store/store.ts';
import { pendingWriteBacks } from '../../electron/core/store/writebacks.ts';
import { fakeServers } from '../aitable/helpers.ts';
import { isRoot, tinyDisk } from '../helpers/full-disk.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { TEST_STORE } from '../helpers/test-store.ts';
import { expectRecordShowsState, fileStorage, openRecordingStore, seedArticles, writeBackFor } from './fixtures.ts';

const dirs = tempDirs();
const servers = fakeServers();
const workers: WriteBackWorker[] = [];
const stores: Store[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  try {
    for (const worker of workers.splice(0)) await worker.stop();
    for (const store of stores.splice(0)) store.close();
    await servers.closeAll();
  } finally {
    for (const cleanup of cleanups.splice(0)) cleanup(); // never leave a tmpfs mounted
    dirs.cleanup();
  }
});

// a full disk is the SQLite file's fault; PostgreSQL reports its own (53100) as any failed statement
describe.skipIf(TEST_STORE === 'postgres')('write-back on a full disk', () => {
  it.skipIf(!isRoot)(
    'keeps running while the disk is full, and catches up once there is space',
    async (context) => {
      const disk = tinyDisk('16m');
      if (!disk) return context.skip('cannot mount a tmpfs here');
      cleanups.push(() => disk.unmount());
      const dir = disk.dir;
      const fake = await servers.start();
      const store = openRecordingStore(join(dir, 'hero-desk.db'));
      stores.push(store);
      const ids = seedArticles(store, fake, dir, 6);
      disk.fill();
      const worker = startWriteBackWorker({
        store,
        writeBack: writeBackFor(fake),
        storage: fileStorage(dir),
        logger: silentLogger(),
        owner: 'test',
        leaseMs: 300,
        coalesceMs: 0,
        retryBaseMs: 20,
        retryCapMs: 100,
      });
      workers.push(worker);
      worker.wake();
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // a few rounds (the worker checks every 5 s)
      expect(pendingWriteBacks(store)).toBe(ids.length); // nothing could be recorded as written
      disk.free();
      worker.wake();
      await waitFor(() => pendingWriteBacks(store) === 0, 15_000, 'every write-back sent');
      for (const id of ids) expectRecordShowsState(fake, store, fileStorage(dir), id);
    },
    30_000,
  );
});
