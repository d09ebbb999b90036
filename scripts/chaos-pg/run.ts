// `npm run chaos:pg` (CI: `npm run chaos:pg -- --ci`): three `BackendWorker` processes on one PostgreSQL
// queue, SIGKILLed at random and started again while a producer keeps enqueueing; then every job must be
// done with its effect written exactly once, nothing stuck, and no lane over its limit. Needs a PostgreSQL:
// HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run chaos:pg). Exits 1 on any nonzero figure.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectPostgres } from '../../electron/core/store/postgres/connection.ts';
import { PostgresJobQueue } from '../../electron/core/store/postgres/job-queue.ts';
import { migratePostgres } from '../../electron/core/store/postgres/migrations.ts';
import { between, createRandom, pick } from '../chaos/random.ts';
import { CHAOS_LANES } from './lanes.ts';
import { verdictLine, verdictPassed, verifyPgChaos, type EffectRow, type JobOutcomeRow } from './verify.ts';

const USAGE = `usage: npm run chaos:pg [-- --ci] [--jobs N] [--kills N] [--seed N] [--keep]
  needs HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run chaos:pg)`;
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const number = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`chaos:pg: --${name} needs a whole number\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const ci = flag('ci');
const jobCount = number('jobs', ci ? 150 : 600);
const killCount = number('kills', ci ? 8 : 40);
const seed = number('seed', Date.now() % 1_000_000);
const WORKERS = 3;
const url = process.env.HERO_DESK_TEST_PG_URL;
const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value !== 'false';
if (!url) {
  // as the PostgreSQL test suites: `npm test` on a laptop without PostgreSQL skips, CI (which has one) fails
  if (ci && !truthy(process.env.HERO_DESK_REQUIRE_PG) && !truthy(process.env.CI)) {
    console.log('chaos:pg: skipped, no HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run chaos:pg -- --ci)');
    process.exit(0);
  }
  console.error(`chaos:pg: no PostgreSQL named (HERO_DESK_TEST_PG_URL is not set)\n${USAGE}`);
  process.exit(2);
}

const random = createRandom(seed);
const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const schema = `hd_chaos_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const connection = connectPostgres(url, { schema, max: 4 });
await migratePostgres(connection);
await connection.pool.query(
  'CREATE TABLE chaos_effects (job_id BIGINT NOT NULL, owner TEXT NOT NULL, lane TEXT NOT NULL, started_at BIGINT NOT NULL, settled_at BIGINT NOT NULL)',
);
const producer = new PostgresJobQueue(connection);

const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));
const workers = new Map<string, ChildProcess>();
function startWorker(owner: string): Promise<void> {
  const child = fork(workerScript, [schema, owner], {
    env: { ...process.env, HERO_DESK_CHAOS_PG_URL: url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  workers.set(owner, child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code, signal) => reject(new Error(`worker ${owner} exited before it was ready (${code ?? signal})`)));
  });
}
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

say(`seed ${seed}; schema ${schema}; ${WORKERS} workers, ${jobCount} jobs, ${killCount} SIGKILLs`);
let generation = 0;
await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker(`w${i}.${generation}`)));

// the producer enqueues throughout the kills (spread over their expected span), one commit per job
const enqueueGapMs = (killCount * 700) / Math.max(1, jobCount);
const enqueued: number[] = [];
const producing = (async () => {
  for (let i = 0; i < jobCount; i++) {
    const lane = pick(random, CHAOS_LANES).name;
    enqueued.push(
      await producer.enqueue({
        kind: 'generate',
        lane,
        articleId: `story${i}`,
        priority: lane === 'breaking' ? 10 : 0,
        deadlineAt: null,
        maxAttempts: 50,
      }),
    );
    await sleep(between(random, 0, 2 * enqueueGapMs));
  }
})();

const leasesAtKill: number[] = [];
for (let kill = 1; kill <= killCount; kill++) {
  await sleep(between(random, 150, 600));
  const [owner, child] = pick(random, [...workers]);
  const held = await connection.pool.query("SELECT 1 FROM jobs WHERE lease_owner = $1 AND status = 'running'", [owner]);
  leasesAtKill.push(held.rowCount ?? 0);
  child.kill('SIGKILL');
  await exited(child);
  workers.delete(owner);
  const next = `w${owner.slice(1, owner.indexOf('.'))}.${++generation}`;
  await sleep(between(random, 50, 300));
  await startWorker(next);
  const open = await producer.openJobCount();
  say(
    `SIGKILL ${kill}/${killCount}: ${owner} holding ${leasesAtKill.at(-1)} lease(s) (restarted as ${next}); ${enqueued.length} enqueued, ${open} open`,
  );
}
await producing;

// every fault was transient: the queue must now drain (a killed worker's lease runs out, another takes it)
const deadline = Date.now() + 120_000;
while ((await producer.openJobCount()) > 0 && Date.now() < deadline) await sleep(200);
say(`drained: ${await producer.openJobCount()} open; stopping the workers with SIGTERM`);
await Promise.all(
  [...workers.values()].map((child) => {
    child.kill('SIGTERM');
    return exited(child);
  }),
);

const jobs = (await connection.pool.query<{ id: string; lane: string; status: string }>('SELECT id, lane, status FROM jobs')).rows.map(
  (r): JobOutcomeRow => ({ id: Number(r.id), lane: r.lane, status: r.status }),
);
const effects = (
  await connection.pool.query<{ job_id: string; lane: string; started_at: string; settled_at: string }>('SELECT * FROM chaos_effects')
).rows.map((r): EffectRow => ({ jobId: Number(r.job_id), lane: r.lane, startedAt: Number(r.started_at), settledAt: Number(r.settled_at) }));
const limits = Object.fromEntries(CHAOS_LANES.map((lane) => [lane.name, lane.concurrency]));
const verdict = verifyPgChaos(enqueued, jobs, effects, limits);

if (!flag('keep')) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA ${admin.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
}
await connection.close();
for (const [name, ids] of Object.entries(verdict))
  if (Array.isArray(ids) && ids.length > 0) console.log(`${name}: jobs ${ids.slice(0, 20).join(', ')}`);
for (const [lane, most] of Object.entries(verdict.overLimit)) console.log(`lane ${lane}: ${most} at once, limit ${limits[lane]}`);
const inFlight = leasesAtKill.filter((n) => n > 0).length;
console.log(
  `${inFlight} of ${leasesAtKill.length} SIGKILLs hit a worker holding leases (${leasesAtKill.reduce((a, b) => a + b, 0)} leases in all)`,
);
console.log(`run took ${((Date.now() - started) / 1000).toFixed(0)} s; seed ${seed}${flag('keep') ? `; kept schema ${schema}` : ''}`);
console.log(verdictLine(verdict, jobs.length, killCount, WORKERS));
process.exit(verdictPassed(verdict) ? 0 : 1);
