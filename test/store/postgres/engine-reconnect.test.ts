// The queue engine on the store on PostgreSQL when the server drops its connections and refuses new ones
// for a while (a restart, a failover) as a job finishes: the result is kept and settled as soon as a
// connection can be made again, not after its lease runs out, and the job runs once. The store connects
// as a role of its own here, whose connection limit stands in for the server being away.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/core/base/log.ts';
import { QueueEngine } from '../../../electron/core/queue/engine.ts';
import { PostgresDb } from '../../../electron/core/store/postgres/sync-db.ts';
import { Store } from '../../../electron/core/store/store.ts';
import { waitFor } from '../../helpers/temp.ts';
import { jobRow, lane, seedJob } from '../../queue/fixtures.ts';
import { describePostgres, PG_URL } from './pg-test.ts';

const schema = `hd_reconnect_${Math.random().toString(36).slice(2, 10)}`;
const role = `${schema}_role`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
let store: Store | null = null;
let engine: QueueEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  store?.close();
  await admin(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    // the grant on the database goes with DROP OWNED (absent if the test failed before making the role)
    await client.query(`DROP OWNED BY ${role}`).catch(() => {});
    await client.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

/** Run from a child process (this one waits synchronously on the store): no new connections, and the open ones dropped. */
const SERVER_AWAY = `const pg = require('pg'); const c = new pg.Client(process.argv[1]);
c.connect().then(() => c.query('ALTER ROLE ' + process.argv[2] + ' CONNECTION LIMIT 0'))
  .then(() => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hero-desk'")).then(() => c.end());`;

describePostgres('the engine when PostgreSQL drops its connections', () => {
  it('settles the finished job once connections are taken again, well before its 30 s lease, and runs it once', async () => {
    await admin(async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN`);
      await client.query(`GRANT CREATE ON DATABASE ${client.database!} TO ${role}`);
    });
    const url = new URL(PG_URL!);
    url.username = role;
    store = new Store(new PostgresDb({ url: url.href, schema }));
    let runs = 0;
    engine = new QueueEngine({
      store,
      logger: silentLogger(),
      pollMs: 20,
      leaseMs: 30_000,
      lanes: [lane('regular')],
      handlers: {
        generate: {
          run: async () => {
            runs++;
            execFileSync(process.execPath, ['-e', SERVER_AWAY, PG_URL!, role]);
            // the server is back a second and a half later
            setTimeout(() => void admin((client) => client.query(`ALTER ROLE ${role} CONNECTION LIMIT -1`)), 1_500);
            return { type: 'done' };
          },
        },
        publish: { run: async () => ({ type: 'done' }) },
      },
    });
    const id = seedJob(store, 'a1', 'regular');
    const started = Date.now();
    engine.start();
    // the test's own look fails too while the server is away
    const settled = () => {
      try {
        return jobRow(store!, id)?.status === 'done';
      } catch {
        return false;
      }
    };
    await waitFor(settled, 10_000, 'the job settled');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(runs).toBe(1);
    expect(jobRow(store, id)?.attempts).toBe(1);
  }, 30_000);
});
