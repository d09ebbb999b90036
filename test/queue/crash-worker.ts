// Child process for the crash test: works the queue in `dbPath` until it is empty, then exits.
// Each job records a "started" row (outside any transaction, so a killed run leaves a trace)
// and an "effect" row in the same transaction that marks it done (so it happens exactly once).
import { silentLogger } from '../../electron/core/base/log.ts';
import { QueueEngine } from '../../electron/core/queue/engine.ts';

import { lane } from './fixtures.ts';
import { testStore } from '../helpers/test-store.ts';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: crash-worker.ts <db>');
const store = testStore(dbPath);
const engine = new QueueEngine({
  store,
  lanes: [lane('regular', { concurrency: 3, maxAttempts: 10 })],
  logger: silentLogger(),
  leaseMs: 400,
  pollMs: 20,
  handlers: {
    generate: {
      run: async ({ job }) => {
        store.db.run('INSERT INTO test_started (job_id, pid) VALUES (?, ?)', job.id, process.pid);
        await new Promise((resolve) => setTimeout(resolve, 30 + (job.id % 5) * 15));
        return { type: 'done', effect: () => store.db.run('INSERT INTO test_effects (job_id, pid) VALUES (?, ?)', job.id, process.pid) };
      },
    },
    publish: { run: async () => ({ type: 'fail', error: 'unused' }) },
  },
});
engine.start();
const timer = setInterval(() => {
  // a failing stop ends the worker loudly, which the crash test reads as a failure
  void (async () => {
    const open = store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')");
    if (Number(open?.n) === 0) {
      clearInterval(timer);
      await engine.stop();
      store.close();
      process.exit(0);
    }
  })();
}, 50);
