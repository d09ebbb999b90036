// One queue worker process of the PostgreSQL chaos run (run.ts starts three and SIGKILLs them): a
// BackendWorker on the shared queue whose runs take a random while, sometimes fail transiently, and on
// success write one effect row in the settle's own transaction. Exactly-once is then a count of rows.
// Usage (run.ts does this): node scripts/chaos-pg/worker.ts <schema> <owner>, HERO_DESK_CHAOS_PG_URL set.
import { BackendWorker } from '../../electron/core/queue/backend-worker.ts';
import { connectPostgres } from '../../electron/core/store/postgres/connection.ts';
import { PostgresJobQueue, type PostgresTx } from '../../electron/core/store/postgres/job-queue.ts';
import { CHAOS_LANES, LEASE_MS } from './lanes.ts';

const [schema, owner] = process.argv.slice(2);
const url = process.env.HERO_DESK_CHAOS_PG_URL;
if (!schema || !owner || !url) {
  console.error('usage: HERO_DESK_CHAOS_PG_URL=postgres://… node scripts/chaos-pg/worker.ts <schema> <owner>');
  process.exit(2);
}

const connection = connectPostgres(url, { schema, max: 6 });
const backend = new PostgresJobQueue(connection);
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

const worker = new BackendWorker<PostgresTx>({
  backend,
  owner,
  leaseMs: LEASE_MS,
  pollMs: 100,
  lanes: CHAOS_LANES.map((lane) => ({ ...lane, slots: lane.concurrency, backoffBaseMs: 20, backoffCapMs: 200 })),
  onError: (error) => console.error(`${owner}: ${error instanceof Error ? error.message : String(error)}`),
  async run(job, signal) {
    const startedAt = Date.now();
    await sleep(40 + Math.random() * 260, signal);
    if (Math.random() < 0.1) return { type: 'retry', error: 'a transient fault (chaos)' };
    return {
      type: 'done',
      effect: async (tx) => {
        await tx.query('INSERT INTO chaos_effects (job_id, owner, lane, started_at, settled_at) VALUES ($1, $2, $3, $4, $5)', [
          job.id,
          owner,
          job.lane,
          startedAt,
          Date.now(),
        ]);
      },
    };
  },
});

await worker.start();
process.send?.('ready');
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => connection.close())
    .then(() => process.exit(0));
});
