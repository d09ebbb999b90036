// One process of bench/queue-postgres.ts's "the store on PostgreSQL" runs: the project's QueueEngine on
// a PostgresDb store (the same code the desk and `hero-desk worker` run). `enqueue <url> <schema> <from>
// <step> <jobs>` enqueues its share, one commit per job; `work <url> <schema>` says "ready", waits for a
// line on stdin, then claims, runs (no-op) and settles until no job is open.
import { createInterface } from 'node:readline';
import { enqueueJob, openJobCount } from '../electron/core/store/jobs.ts';
import { PostgresDb } from '../electron/core/store/postgres/sync-db.ts';
import { Store } from '../electron/core/store/store.ts';
import { noopEngine } from './queue-throughput.ts';

const [mode, url, schema, ...rest] = process.argv.slice(2);
const store = new Store(new PostgresDb({ url: url!, schema: schema! }));

if (mode === 'enqueue') {
  const [from, step, jobs] = rest.map(Number) as [number, number, number];
  for (let i = from; i < jobs; i += step) {
    store.transaction(() =>
      enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: `rec${i}`, priority: i % 3, deadlineAt: null, maxAttempts: 3 }),
    );
  }
  store.close();
} else {
  const engine = noopEngine(store);
  process.stdout.write('ready\n');
  const go = createInterface({ input: process.stdin });
  await new Promise((resolve) => go.once('line', resolve));
  go.close();
  engine.start();
  while (openJobCount(store) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await engine.stop();
  store.close();
}
