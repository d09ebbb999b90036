// Child process for the SIGKILL test: drains the write-back outbox of the store at argv[2]
// into the fake AITable at argv[3] until nothing is pending, then exits 0.
import { createAitableWriteBack } from '../../electron/core/adapters/aitable/index.ts';
import { startWriteBackWorker } from '../../electron/core/app/write-back-worker.ts';
import { silentLogger } from '../../electron/core/base/log.ts';

import { pendingWriteBacks } from '../../electron/core/store/writebacks.ts';
import { FIELDS, fileStorage, tokenSecrets } from './fixtures.ts';
import { testStore } from '../helpers/test-store.ts';

const [dbPath, baseUrl, datasheetId, mediaDir] = process.argv.slice(2) as [string, string, string, string];
const store = testStore(dbPath);
const writeBack = createAitableWriteBack(
  {
    baseUrl,
    datasheetId,
    writeBack: { enabled: true, fields: FIELDS },
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
    requestTimeoutMs: 2_000,
  },
  { secrets: tokenSecrets },
);
const worker = startWriteBackWorker({
  store,
  writeBack,
  storage: fileStorage(mediaDir),
  logger: silentLogger(),
  owner: `child-${process.pid}`,
  leaseMs: 500,
  coalesceMs: 0,
  retryBaseMs: 20,
  retryCapMs: 200,
});
worker.wake();
const timer = setInterval(() => {
  if (pendingWriteBacks(store) > 0) return;
  clearInterval(timer);
  void worker.stop().then(() => {
    store.close();
    process.exit(0);
  });
}, 50);
