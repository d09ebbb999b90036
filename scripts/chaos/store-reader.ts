// Read-only looks at Hero Desk's store, while it runs and afterwards: its SQLite file (node:sqlite), or
// with `--store postgres` its PostgreSQL schema (`postgres:<schema>` in place of the file's path).
// Tolerant of schema changes: it reads only columns it needs and treats a missing one as absent.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { PostgresDb } from '../../electron/core/store/postgres/sync-db.ts';

/** The part of node:sqlite the readers use; PostgreSQL answers it through the store's own PostgresDb. */
export interface StoreReader {
  prepare(sql: string): { all(...params: (string | number | null)[]): unknown[]; get(...params: (string | number | null)[]): unknown };
}

const POSTGRES = 'postgres:';
let postgres: { url: string; db: PostgresDb | null } | null = null;

/** With `--store postgres`: where the schema lives (its name comes in each `postgres:<schema>` path). */
export function readPostgresAt(url: string): void {
  postgres = { url, db: null };
}

export function withStore<T>(dbPath: string, read: (db: StoreReader) => T): T | null {
  if (dbPath.startsWith(POSTGRES)) return withPostgres(dbPath.slice(POSTGRES.length), read);
  if (!existsSync(dbPath)) return null;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
    db.exec('PRAGMA busy_timeout = 2000');
    return read(db);
  } catch {
    return null; // mid-migration, locked or not yet created: the caller looks again later
  } finally {
    db?.close();
  }
}

function withPostgres<T>(schema: string, read: (db: StoreReader) => T): T | null {
  if (!postgres) throw new Error('a postgres: store path needs readPostgresAt(url) first');
  try {
    const db = (postgres.db ??= new PostgresDb({ url: postgres.url, schema }));
    return read({ prepare: (sql) => ({ all: (...params) => db.all(sql, ...params), get: (...params) => db.get(sql, ...params) }) });
  } catch {
    return null; // the server restarting, or the schema not made yet: the caller looks again later
  }
}

/** Closes the PostgreSQL reader (its thread keeps the harness alive otherwise). */
export function closeStoreReaders(): void {
  postgres?.db?.close();
  if (postgres) postgres.db = null;
}

export interface StoreGlance {
  statuses: Map<string, string>;
  openJobs: number;
  runningJobs: number;
  /** Write-back outbox rows not yet confirmed written; null when this store has no such outbox. */
  pendingWriteBacks: number | null;
}

/** Article statuses and open job counts right now. */
export function glance(dbPath: string): StoreGlance | null {
  return withStore(dbPath, (db) => {
    const statuses = new Map<string, string>();
    for (const row of db.prepare('SELECT id, status FROM articles').all() as { id: string; status: string }[])
      statuses.set(row.id, row.status);
    const jobs = db.prepare("SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status").all() as {
      status: string;
      n: number;
    }[];
    const count = (status: string) => Number(jobs.find((j) => j.status === status)?.n ?? 0);
    let pendingWriteBacks: number | null = null;
    try {
      pendingWriteBacks = Number(
        (db.prepare('SELECT COUNT(*) AS n FROM writebacks WHERE written_hash IS NOT state_hash').get() as { n: number }).n,
      );
    } catch {
      // no durable write-back outbox in this version
    }
    return { statuses, openJobs: count('queued') + count('running'), runningJobs: count('running'), pendingWriteBacks };
  });
}

/** `PRAGMA integrity_check` of an SQLite file: 'ok' or the problems it lists. */
export function integrityOf(path: string): string {
  // PostgreSQL keeps its own pages consistent (WAL, transactional DDL): what can be checked is that the
  // schema answers and its one-open-job-per-story rule holds
  if (path.startsWith(POSTGRES)) {
    const doubled = withStore(path, (db) =>
      Number(
        (
          db
            .prepare(
              'SELECT COUNT(*) AS n FROM (SELECT article_id, kind FROM jobs WHERE finished_at IS NULL GROUP BY article_id, kind HAVING COUNT(*) > 1) d',
            )
            .get() as { n: number }
        ).n,
      ),
    );
    return doubled === null ? `cannot read ${path}` : doubled === 0 ? 'ok' : `${doubled} stories with two open jobs of a kind`;
  }
  if (!existsSync(path)) return `missing: ${path}`;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } catch (error) {
    return `cannot open: ${(error as Error).message}`;
  } finally {
    db?.close();
  }
}
