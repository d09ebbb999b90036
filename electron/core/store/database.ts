// The one module that opens SQLite. Everything else receives a `Db`. node:sqlite is built into
// Node ≥ 22.12; keeping it behind this file lets better-sqlite3 stand in if Electron lacks it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { MIGRATIONS } from './migrations.ts';

export type Row = Record<string, SQLInputValue>;
export type Param = SQLInputValue;

export class Db {
  readonly path: string;
  private readonly sqlite: DatabaseSync;
  private depth = 0;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.sqlite = new DatabaseSync(path);
    // WAL: readers never block the writer; NORMAL sync is crash-safe in WAL (a power cut may
    // lose the last transactions, a process crash loses nothing committed).
    this.sqlite.exec('PRAGMA journal_mode = WAL');
    this.sqlite.exec('PRAGMA synchronous = NORMAL');
    this.sqlite.exec('PRAGMA foreign_keys = ON');
    this.sqlite.exec('PRAGMA busy_timeout = 5000');
    this.migrate();
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
    const result = this.sqlite.prepare(sql).run(...params);
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }

  get<T>(sql: string, ...params: Param[]): T | undefined {
    return this.sqlite.prepare(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: Param[]): T[] {
    return this.sqlite.prepare(sql).all(...params) as T[];
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
    this.sqlite.exec('BEGIN IMMEDIATE');
    this.depth = 1;
    try {
      const result = work();
      this.sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      this.sqlite.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  /** Runs several statements (no parameters): schema scripts, test fixtures. */
  exec(sql: string): void {
    this.sqlite.exec(sql);
  }

  integrityCheck(): string {
    return String(this.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check);
  }

  close(): void {
    if (!this.sqlite.isOpen) return;
    this.sqlite.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.sqlite.close();
  }
}
