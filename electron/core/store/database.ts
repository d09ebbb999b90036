// The one module that opens SQLite. Everything else receives a `Db`. node:sqlite is built into
// Node ≥ 22.12; keeping it behind this file lets better-sqlite3 stand in if Electron lacks it.
// A full disk surfaces here as a DiskFullError naming the folder (and is told to onDiskFull
// listeners), never as the "cannot rollback" that SQLite's own rollback would leave behind.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { errorCode, errorMessage } from '../base/failures.ts';
import { asDiskFull, DataDirError, DiskFullError } from '../base/machine-errors.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Param, SqlDb } from './sql-db.ts';

export type { Param, Row } from './sql-db.ts';

/**
 * Every connection's settings (bench/queue-baselines.ts opens its baselines with the same ones).
 * WAL: readers never block the writer; NORMAL sync is crash-safe in WAL (a power cut may lose the
 * last transactions, a process crash loses nothing committed). A checkpoint syncs the WAL and
 * the file to disk, which costs more than hundreds of small commits; every job transition is a
 * commit of 4-5 pages, so checkpointing every 8,000 pages (a WAL of up to ~32 MB) instead of
 * SQLite's 1,000 halves the cost of a transition here.
 */
export const CONNECTION_PRAGMAS: readonly string[] = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'wal_autocheckpoint = 8000',
];

type DiskFullListener = (error: DiskFullError) => void;

export class Db implements SqlDb {
  readonly path: string;
  private readonly sqlite: DatabaseSync;
  private depth = 0;
  private readonly diskFullListeners = new Set<DiskFullListener>();
  /** Prepared once per SQL text: preparing costs more than running most of our statements. */
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.path = path;
    try {
      if (path !== ':memory:') {
        mkdirSync(dirname(path), { recursive: true });
        ownerOnly(path);
      }
      this.sqlite = new DatabaseSync(path);
    } catch (error) {
      throw openFailure(error, path);
    }
    try {
      for (const pragma of CONNECTION_PRAGMAS) this.sqlite.exec(`PRAGMA ${pragma}`);
      this.migrate();
    } catch (error) {
      this.sqlite.close();
      throw openFailure(error, path);
    }
  }

  /** Told (synchronously, possibly mid-transaction: defer any write) whenever a write fails for lack of space. */
  onDiskFull(listener: DiskFullListener): () => void {
    this.diskFullListeners.add(listener);
    return () => this.diskFullListeners.delete(listener);
  }

  get schemaVersion(): number {
    return Number(this.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
  }

  private migrate(): void {
    const current = this.schemaVersion;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `database ${this.path} has schema version ${current}, newer than this Hero Desk (${MIGRATIONS.length}); upgrade the app`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      this.transaction(() => {
        this.sqlite.exec(MIGRATIONS[version]!);
        this.sqlite.exec(`PRAGMA user_version = ${version + 1}`);
      });
    }
  }

  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number } {
    const result = this.guard(() => this.statement(sql).run(...params));
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }

  get<T>(sql: string, ...params: Param[]): T | undefined {
    return this.guard(() => this.statement(sql).get(...params) as T | undefined);
  }

  all<T>(sql: string, ...params: Param[]): T[] {
    return this.guard(() => this.statement(sql).all(...params) as T[]);
  }

  /** The query plan SQLite would use (for tests that keep hot queries on their indexes). */
  explain(sql: string, ...params: Param[]): string[] {
    return this.sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => String((row as { detail: unknown }).detail));
  }

  private statement(sql: string): StatementSync {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.sqlite.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs `work` atomically (BEGIN IMMEDIATE); nested calls join the outer transaction. */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    this.control('BEGIN IMMEDIATE');
    this.depth = 1;
    try {
      const result = work();
      this.control('COMMIT');
      return result;
    } catch (error) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL mid-statement or at COMMIT);
      // a second ROLLBACK would then throw "no transaction is active" and hide the real error.
      if (this.sqlite.isTransaction !== false) {
        try {
          this.sqlite.exec('ROLLBACK');
        } catch {
          // keep the error that made us roll back
        }
      }
      throw this.translate(error);
    } finally {
      this.depth = 0;
    }
  }

  /**
   * Inside a transaction: runs `work` so that if it throws only its own writes are undone and the
   * transaction goes on (jobs settled together in one commit: one's lost lease undoes only its own).
   */
  savepoint<T>(work: () => T): T {
    if (this.depth === 0) throw new Error('savepoint outside a transaction');
    this.control('SAVEPOINT part');
    this.depth++;
    try {
      const result = work();
      this.control('RELEASE part');
      return result;
    } catch (error) {
      if (this.sqlite.isTransaction) {
        try {
          this.sqlite.exec('ROLLBACK TO part');
          this.sqlite.exec('RELEASE part');
        } catch {
          // keep the error that made us roll back
        }
      }
      throw this.translate(error);
    } finally {
      this.depth--;
    }
  }

  /** True when SQLite rolled back the open transaction by itself (a full disk mid-statement). */
  get transactionLost(): boolean {
    return this.depth > 0 && !this.sqlite.isTransaction;
  }

  /** BEGIN, COMMIT and savepoints, prepared once like any statement (exec would parse them on every call). */
  private control(sql: string): void {
    this.guard(() => this.statement(sql).run());
  }

  /** Runs several statements (no parameters): schema scripts, test fixtures. */
  exec(sql: string): void {
    this.guard(() => this.sqlite.exec(sql));
  }

  /** Moves only when another connection commits to the file. */
  dataVersion(): number {
    return Number(this.get<{ data_version: number }>('PRAGMA data_version')?.data_version ?? 0);
  }

  integrityCheck(): string {
    return String(this.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check);
  }

  close(): void {
    if (!this.sqlite.isOpen) return;
    this.statements.clear();
    try {
      this.sqlite.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // a full disk may refuse the checkpoint; the WAL is replayed on the next open
    }
    this.sqlite.close();
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    if (error instanceof DiskFullError) return error; // already told
    const translated = asDiskFull(error, dirname(this.path));
    if (translated instanceof DiskFullError) {
      for (const listener of this.diskFullListeners) {
        try {
          listener(translated);
        } catch {
          // a listener's fault must not replace the disk-full error
        }
      }
    }
    return translated;
  }
}

/**
 * The database and its -wal/-shm hold every prompt and error: this user only. SQLite gives the
 * -wal and -shm the main file's mode, so creating that one 0600 (and tightening older installs)
 * covers all three.
 */
function ownerOnly(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // absent (-wal/-shm before the first open) or not ours to change: SQLite reports real trouble
    }
  }
}

const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;

/** Opening or migrating failed: a full disk or an unwritable file says so with the path. */
function openFailure(error: unknown, path: string): unknown {
  // at start-up nothing retries: the user frees space and starts again
  if (error instanceof DiskFullError) return new DiskFullError(error.dir, { cause: error.cause, retried: false });
  const full = asDiskFull(error, dirname(path), false);
  if (full instanceof DiskFullError) return full;
  const errcode = (error as { errcode?: unknown }).errcode;
  const code = errorCode(error);
  if (errcode === SQLITE_READONLY || errcode === SQLITE_CANTOPEN || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new DataDirError(
      `cannot open the database ${path}: ${errorMessage(error)}; check that this user may write it and its folder`,
      path,
      { cause: error },
    );
  }
  return error;
}
