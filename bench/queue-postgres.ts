// The queue on PostgreSQL beside the SQLite engine and graphile-worker, in one run, on one server with
// the same durability (fsync and synchronous_commit on: every commit is on disk before it returns).
// Each run: N jobs enqueued one commit each (by as many producers as there are workers), then claimed,
// run (no-op) and settled, until none is open. Three durable transitions per job, as in queue-throughput.
// Needs a PostgreSQL: `bash scripts/postgres-test.sh npm run bench -- queue-postgres` starts a throwaway one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Logger, makeWorkerUtils, run as runGraphile } from 'graphile-worker';
import { BackendWorker } from '../electron/core/queue/backend-worker.ts';
import { connectPostgres, type PostgresConnection } from '../electron/core/store/postgres/connection.ts';
import { PostgresJobQueue, type PostgresTx } from '../electron/core/store/postgres/job-queue.ts';
import { migratePostgres } from '../electron/core/store/postgres/migrations.ts';
import { PostgresDb } from '../electron/core/store/postgres/sync-db.ts';
import { insertArticle } from '../electron/core/store/articles.ts';
import { Store } from '../electron/core/store/store.ts';
import type { QueueRun } from './queue-baselines.ts';
import { benchArticle, medianRun, runProject, transitionsPerSecond } from './queue-throughput.ts';
import { isShort, note, report } from './report.ts';

/** Jobs each worker runs at once, as queue-throughput's engine does. */
const CONCURRENCY = 8;
const GRAPHILE_VERSION = '0.18.0';

const pgUrl = (): string | undefined => process.env.HERO_DESK_BENCH_PG_URL ?? process.env.HERO_DESK_TEST_PG_URL;

const until = async (check: () => Promise<boolean>): Promise<void> => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 2));
};

/** Splits `jobs` enqueues over `producers` running at once. */
async function enqueueSpread(producers: number, jobs: number, enqueue: (producer: number, i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      for (let i = p; i < jobs; i += producers) await enqueue(p, i);
    }),
  );
  return performance.now() - started;
}

async function runPostgresBackend(url: string, workers: number, jobs: number): Promise<QueueRun> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const connections: PostgresConnection[] = Array.from({ length: workers }, () => connectPostgres(url, { schema, max: CONCURRENCY + 2 }));
  try {
    await migratePostgres(connections[0]!);
    const queues = connections.map((connection) => new PostgresJobQueue(connection));
    const enqueueMs = await enqueueSpread(workers, jobs, (p, i) =>
      queues[p]!.enqueue({ kind: 'generate', lane: 'regular', articleId: `rec${i}`, priority: i % 3, deadlineAt: null, maxAttempts: 3 }),
    );
    const started = performance.now();
    const running = queues.map(
      (backend) =>
        new BackendWorker<PostgresTx>({
          backend,
          pollMs: 50,
          lanes: [{ name: 'regular', concurrency: CONCURRENCY * workers, slots: CONCURRENCY, backoffBaseMs: 10, backoffCapMs: 100 }],
          run: async () => ({ type: 'done' }),
        }),
    );
    await Promise.all(running.map((worker) => worker.start()));
    await until(async () => (await queues[0]!.openJobCount()) === 0);
    const runMs = performance.now() - started;
    await Promise.all(running.map((worker) => worker.stop()));
    return { enqueueMs, runMs, jobs };
  } finally {
    await connections[0]!.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await Promise.all(connections.map((connection) => connection.close()));
  }
}

const STORE_CHILD = join(import.meta.dirname, 'queue-store-child.ts');

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a bench child exited with ${code}`)))),
  );

/**
 * The product's own path: QueueEngine on the store on PostgreSQL (store: { type: "postgres" }), each
 * worker a process of its own, as `hero-desk worker`s are (the store is synchronous per process).
 */
async function runPostgresStore(url: string, workers: number, jobs: number): Promise<QueueRun> {
  const schema = `bench_store_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const store = new Store(new PostgresDb({ url, schema }));
  try {
    store.transaction(() => {
      for (let i = 0; i < jobs; i++) insertArticle(store, benchArticle(`rec${i}`));
    });
    const child = ([mode, ...args]: string[]) =>
      spawn(process.execPath, [STORE_CHILD, mode!, url, schema, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let started = performance.now();
    await Promise.all(Array.from({ length: workers }, (_, p) => exited(child(['enqueue', String(p), String(workers), String(jobs)]))));
    const enqueueMs = performance.now() - started;
    // the clock starts once every worker has opened its store: process start-up is not queue work
    const running = Array.from({ length: workers }, () => child(['work']));
    await Promise.all(running.map((worker) => new Promise((resolve) => worker.stdout.once('data', resolve))));
    started = performance.now();
    for (const worker of running) worker.stdin.write('go\n');
    await Promise.all(running.map(exited));
    return { enqueueMs, runMs: performance.now() - started, jobs };
  } finally {
    store.db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    store.close();
  }
}

async function runGraphileWorker(url: string, workers: number, jobs: number): Promise<QueueRun> {
  const schema = `bench_gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const logger = new Logger(() => () => {});
  const utils = await Promise.all(Array.from({ length: workers }, () => makeWorkerUtils({ connectionString: url, schema, logger })));
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await utils[0]!.migrate();
    const enqueueMs = await enqueueSpread(workers, jobs, (p) => utils[p]!.addJob('noop', {}));
    const started = performance.now();
    const runners = await Promise.all(
      Array.from({ length: workers }, () =>
        runGraphile({
          connectionString: url,
          schema,
          logger,
          concurrency: CONCURRENCY,
          maxPoolSize: CONCURRENCY + 2,
          noHandleSignals: true,
          pollInterval: 50,
          taskList: { noop: async () => {} },
        }),
      ),
    );
    // graphile-worker deletes a job when it completes
    await until(
      async () => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}._private_jobs`)).rows[0]?.n) === 0,
    );
    const runMs = performance.now() - started;
    await Promise.all(runners.map((runner) => runner.stop()));
    return { enqueueMs, runMs, jobs };
  } finally {
    for (const u of utils) await u.release();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
}

const perPhase = (run: QueueRun) =>
  `enqueue ${(run.jobs / (run.enqueueMs / 1000)).toFixed(0)} jobs/s, claim+settle ${(run.jobs / (run.runMs / 1000)).toFixed(0)} jobs/s`;

export async function main(): Promise<void> {
  const url = pgUrl();
  if (!url) {
    note('queue-postgres not run: no HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run bench -- queue-postgres)');
    return;
  }
  const jobs = isShort() ? 1_000 : 3_000;
  const rounds = isShort() ? 1 : 3;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const settings = await admin.query<{ sc: string; fs: string; v: string }>(
    "SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fs, version() AS v",
  );
  await admin.end();
  const { sc, fs, v } = settings.rows[0] ?? { sc: '?', fs: '?', v: '?' };
  console.log(
    `queue on PostgreSQL: ${jobs} jobs enqueued (one commit each), claimed, run (no-op) and settled; ${CONCURRENCY} at once per worker`,
  );
  console.log(
    `  ${String(v).split(' on ')[0]}, synchronous_commit=${sc}, fsync=${fs}; SQLite: WAL, synchronous=NORMAL; median of ${rounds} rounds, taking turns`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-bench-queue-pg-'));
  const runs = {
    sqlite: [] as QueueRun[],
    store1: [] as QueueRun[],
    store3: [] as QueueRun[],
    pg1: [] as QueueRun[],
    pg3: [] as QueueRun[],
    gw1: [] as QueueRun[],
    gw3: [] as QueueRun[],
  };
  try {
    for (let round = 0; round < rounds; round++) {
      runs.sqlite.push(await runProject(join(dir, `sqlite-${round}.sqlite`), 1_000, jobs));
      runs.store1.push(await runPostgresStore(url, 1, jobs));
      runs.store3.push(await runPostgresStore(url, 3, jobs));
      runs.pg1.push(await runPostgresBackend(url, 1, jobs));
      runs.gw1.push(await runGraphileWorker(url, 1, jobs));
      runs.pg3.push(await runPostgresBackend(url, 3, jobs));
      runs.gw3.push(await runGraphileWorker(url, 3, jobs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, medianRun(list)])) as Record<keyof typeof runs, QueueRun>;
  for (const [name, label] of [
    ['sqlite', 'SQLite engine (1 process)'],
    ['store1', 'the store on PostgreSQL (the product: QueueEngine, one writer at a time), 1 worker'],
    ['store3', 'the store on PostgreSQL, 3 worker processes'],
    ['pg1', 'SKIP LOCKED backend (store/postgres/job-queue.ts, not wired into the desk), 1 worker'],
    ['pg3', 'SKIP LOCKED backend, 3 workers'],
    ['gw1', `graphile-worker ${GRAPHILE_VERSION}, 1 runner`],
    ['gw3', `graphile-worker ${GRAPHILE_VERSION}, 3 runners`],
  ] as const) {
    console.log(`  ${label}: ${transitionsPerSecond(m[name]).toFixed(0)} transitions/s (${perPhase(m[name])})`);
  }
  const tps = (name: keyof typeof runs) => transitionsPerSecond(m[name]);
  const graphile = `graphile-worker ${GRAPHILE_VERSION} on the same PostgreSQL`;
  report({
    name: 'the store on PostgreSQL (the engine the desk runs), 1 worker',
    unit: 'transitions/s',
    project: tps('store1'),
    baseline: tps('gw1'),
    baselineName: graphile,
    higherIsBetter: true,
    target: { text: '≥ graphile-worker', met: tps('store1') >= tps('gw1') },
  });
  report({
    name: 'the store on PostgreSQL, 3 workers',
    unit: 'transitions/s',
    project: tps('store3'),
    baseline: tps('gw3'),
    baselineName: `${graphile} (3 runners)`,
    higherIsBetter: true,
    target: { text: '≥ graphile-worker', met: tps('store3') >= tps('gw3') },
  });
  report({
    name: 'SKIP LOCKED backend (not wired in), 1 worker',
    unit: 'transitions/s',
    project: tps('pg1'),
    baseline: tps('gw1'),
    baselineName: graphile,
    higherIsBetter: true,
    target: { text: '≥ graphile-worker', met: tps('pg1') >= tps('gw1') },
  });
  report({
    name: 'SKIP LOCKED backend (not wired in), 3 workers',
    unit: 'transitions/s',
    project: tps('pg3'),
    baseline: tps('gw3'),
    baselineName: `${graphile} (3 runners)`,
    higherIsBetter: true,
    target: { text: '≥ graphile-worker', met: tps('pg3') >= tps('gw3') },
  });
  report({
    name: 'the store on PostgreSQL, 1 worker, vs SQLite',
    unit: 'transitions/s',
    project: tps('store1'),
    baseline: tps('sqlite'),
    baselineName: 'the SQLite engine (queue-throughput at 1,000 jobs)',
    higherIsBetter: true,
  });
  console.log(
    `  scaling 1 → 3 workers: the store ${(tps('store3') / tps('store1')).toFixed(2)}× (one writer at a time), the SKIP LOCKED backend ${(tps('pg3') / tps('pg1')).toFixed(2)}× (graphile-worker ${(tps('gw3') / tps('gw1')).toFixed(2)}×; the machine has its cores shared with the server)`,
  );
}

if (import.meta.main) await main();
