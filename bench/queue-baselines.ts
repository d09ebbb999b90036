// The queue benchmark's baselines: what SQLite itself allows on this machine, and a small queue
// library from npm, both on the same file system with the project's own pragmas (CONNECTION_PRAGMAS).
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type * as PlainjobModule from 'plainjob';
import { CONNECTION_PRAGMAS } from '../electron/core/store/database.ts';

export interface QueueRun {
  enqueueMs: number;
  runMs: number;
  jobs: number;
}

const SERIES = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)';

function open(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  for (const pragma of CONNECTION_PRAGMAS) db.exec(`PRAGMA ${pragma}`);
  return db;
}

/** One committed INSERT per enqueue, one committed UPDATE per claim and per settle, statements prepared once. */
export function runMinimalSqlite(file: string, existing: number, jobs: number): QueueRun {
  const db = open(file);
  db.exec(`CREATE TABLE jobs (id INTEGER PRIMARY KEY, lane TEXT NOT NULL, priority INTEGER NOT NULL, status TEXT NOT NULL,
    run_after INTEGER NOT NULL, lease_owner TEXT, lease_expires_at INTEGER, created_at INTEGER NOT NULL, finished_at INTEGER);
    CREATE INDEX jobs_queued ON jobs (lane, priority DESC, created_at, id) WHERE status = 'queued';`);
  db.exec('BEGIN');
  db.prepare(
    `${SERIES} INSERT INTO jobs (lane, priority, status, run_after, created_at, finished_at) SELECT 'regular', i % 3, 'done', 0, 0, 0 FROM n`,
  ).run(existing);
  db.exec('COMMIT');
  const insert = db.prepare("INSERT INTO jobs (lane, priority, status, run_after, created_at) VALUES ('regular', ?, 'queued', ?, ?)");
  const claim = db.prepare(
    `UPDATE jobs SET status = 'running', lease_owner = 'me', lease_expires_at = ? WHERE id = (
       SELECT id FROM jobs WHERE lane = 'regular' AND status = 'queued' AND run_after <= ? ORDER BY priority DESC, created_at, id LIMIT 1)
     RETURNING id`,
  );
  const settle = db.prepare("UPDATE jobs SET status = 'done', lease_owner = NULL, finished_at = ? WHERE id = ?");
  const enqueueStarted = performance.now();
  for (let i = 0; i < jobs; i++) insert.run(i % 3, Date.now(), Date.now());
  const enqueueMs = performance.now() - enqueueStarted;
  const runStarted = performance.now();
  for (;;) {
    const row = claim.get(Date.now() + 30_000, Date.now()) as { id: number } | undefined;
    if (!row) break;
    settle.run(Date.now(), row.id);
  }
  const runMs = performance.now() - runStarted;
  db.close();
  return { enqueueMs, runMs, jobs };
}

type Params = SQLInputValue[] | [Record<string, SQLInputValue>];

/**
 * plainjob ships adapters for better-sqlite3 and bun:sqlite only; this gives it node:sqlite with
 * the same shape (better-sqlite3's prebuilt binary cannot be downloaded here, and compiling it
 * would take longer than the benchmark).
 */
function nodeSqliteConnection(file: string) {
  const db = open(file);
  const transaction = <F extends (...args: never[]) => unknown>(fn: F) => {
    const wrap =
      (begin: string) =>
      (...args: Parameters<F>) => {
        db.exec(begin);
        try {
          const result = fn(...args);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      };
    return Object.assign(wrap('BEGIN'), {
      immediate: wrap('BEGIN IMMEDIATE'),
      deferred: wrap('BEGIN DEFERRED'),
      exclusive: wrap('BEGIN EXCLUSIVE'),
      default: wrap('BEGIN'),
    });
  };
  return {
    driver: 'better-sqlite3' as const,
    filename: file,
    pragma: (stmt: string) => db.exec(`PRAGMA ${stmt}`),
    exec: (sql: string) => db.exec(sql),
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      return {
        run: (...params: Params) => {
          const { changes, lastInsertRowid } = statement.run(...(params as SQLInputValue[]));
          return { changes: Number(changes), lastInsertRowid: Number(lastInsertRowid) };
        },
        get: (...params: Params) => statement.get(...(params as SQLInputValue[])),
        all: (...params: Params) => statement.all(...(params as SQLInputValue[])),
      };
    },
    transaction,
    close: () => db.close(),
    raw: db,
  };
}

/** plainjob's own worker loop (one job at a time, as its README runs it), poll interval 1 ms. */
export async function runPlainjob(file: string, existing: number, jobs: number): Promise<QueueRun> {
  let plainjob: typeof PlainjobModule;
  try {
    plainjob = await import('plainjob');
  } catch (error) {
    throw new Error(`plainjob is not installed (${error instanceof Error ? error.message : String(error)}); run npm ci`, { cause: error });
  }
  const connection = nodeSqliteConnection(file);
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
  // the adapter matches plainjob's Connection by shape (the compiler checks it)
  const queue = plainjob.defineQueue({ connection, logger: quiet, maintenanceInterval: 3_600_000 });
  connection.raw.exec('BEGIN');
  connection.raw
    .prepare(
      `${SERIES} INSERT INTO plainjob_jobs (type, data, status, next_run_at, created_at) SELECT 'bench', '{}', ${plainjob.JobStatus.Done}, 0, 0 FROM n`,
    )
    .run(existing);
  connection.raw.exec('COMMIT');
  const enqueueStarted = performance.now();
  for (let i = 0; i < jobs; i++) queue.add('bench', { i });
  const enqueueMs = performance.now() - enqueueStarted;
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = plainjob.defineWorker('bench', async () => {}, {
    queue,
    logger: quiet,
    pollIntervall: 1,
    onCompleted: () => {
      done += 1;
      if (done === jobs) finish();
    },
  });
  const runStarted = performance.now();
  void worker.start();
  await finished;
  const runMs = performance.now() - runStarted;
  await worker.stop();
  queue.close();
  return { enqueueMs, runMs, jobs };
}
