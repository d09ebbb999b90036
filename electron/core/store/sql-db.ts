// What the store needs from its database, whichever engine holds it: SQLite (database.ts, the embedded
// default) or PostgreSQL (postgres/sync-db.ts, `store: { type: "postgres" }`). Both are synchronous, so a
// transaction is one uninterrupted piece of code on either, and both let one writer in at a time.
import type { DiskFullError } from '../base/machine-errors.ts';

export type Param = null | number | bigint | string | NodeJS.ArrayBufferView;
export type Row = Record<string, Param>;

export interface SqlDb {
  /** Where the data lives, for messages: a file path, or `postgres:<schema>`. */
  readonly path: string;
  readonly schemaVersion: number;
  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number };
  get<T>(sql: string, ...params: Param[]): T | undefined;
  all<T>(sql: string, ...params: Param[]): T[];
  /** Several statements without parameters (schema scripts, test fixtures). */
  exec(sql: string): void;
  /** Runs `work` atomically with the write lock held; nested calls join the outer transaction. */
  transaction<T>(work: () => T): T;
  /** Inside a transaction: if `work` throws, only its own writes are undone. */
  savepoint<T>(work: () => T): T;
  /** True when the engine rolled back the open transaction by itself (SQLite on a full disk). */
  readonly transactionLost: boolean;
  /** Moves whenever another connection commits (cheap: other-writers.ts reads it every tick). */
  dataVersion(): number;
  /** The query plan (SQLite only: tests that keep hot queries on their indexes). */
  explain(sql: string, ...params: Param[]): string[];
  integrityCheck(): string;
  onDiskFull(listener: (error: DiskFullError) => void): () => void;
  close(): void;
}
