// Read-only looks at Hero Desk's SQLite file (node:sqlite), while it runs and afterwards.
// Tolerant of schema changes: it reads only columns it needs and treats a missing one as absent.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export function withStore<T>(dbPath: string, read: (db: DatabaseSync) => T): T | null {
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
