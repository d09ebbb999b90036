// The store on PostgreSQL (`store: { type: "postgres" }`, the URL from a secret), with the same synchronous interface as
// SQLite's Db: each statement is one round trip made by postgres/sync-worker.ts while this thread waits,
// so the store's transactions stay uninterrupted code and run unchanged on either engine. Writers take
// one transaction-level advisory lock per schema, as SQLite's BEGIN IMMEDIATE takes the file's write
// lock: event seqs then commit in order (other processes follow the log by seq) and every count made
// under the lock (lane slots, provider slots, budgets) holds across all processes on all machines.
// A commit that wrote anything NOTIFYs the schema's channel; every store LISTENs (other-writers.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'synckit';
import type { DiskFullError } from '../../base/machine-errors.ts';
import type { Param, SqlDb } from '../sql-db.ts';
import { SCHEMA_NAME } from './connection.ts';
import { toPostgres } from './dialect.ts';
import type { SyncRequest, SyncResponse } from './sync-worker.ts';

/** The source beside this file; in the desktop bundle, the built sync-worker.js beside core-host.js. */
function workerPath(): string {
  const source = fileURLToPath(new URL('./sync-worker.ts', import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL('./sync-worker.js', import.meta.url));
}

type Call = (request: SyncRequest) => SyncResponse;
let call: Call | null = null;
let nextHandle = 1;

/** An error PostgreSQL reported, with its SQLSTATE (`code`) as `pg` gives it. */
export class PostgresError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PostgresError';
    this.code = code;
  }
}

export interface PostgresStoreOptions {
  url: string;
  /** Each desk's tables live in a schema of their own (`hero_desk` unless told). */
  schema?: string;
}

export class PostgresDb implements SqlDb {
  readonly path: string;
  readonly schemaVersion: number;
  private readonly handle = nextHandle++;
  private readonly schema: string;
  private readonly changes = new Int32Array(new SharedArrayBuffer(4));
  private depth = 0;
  private wrote = false;
  private control: string[] = [];
  private closed = false;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'hero_desk';
    // the name goes into the lock's and the channel's SQL text below
    if (!SCHEMA_NAME.test(this.schema)) throw new Error(`schema name "${this.schema}" must be lower-case letters, digits and _`);
    this.path = `postgres:${this.schema}`;
    call ??= createSyncFn(workerPath()) as Call;
    const opened = this.send({
      op: 'open',
      url: options.url,
      schema: this.schema,
      channel: channelOf(this.schema),
      changes: this.changes.buffer,
    });
    this.schemaVersion = opened.schemaVersion ?? 0;
  }

  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number } {
    if (this.depth === 0) return this.transaction(() => this.run(sql, ...params));
    const { text, returnsKey } = toPostgres(sql);
    const result = this.send({ op: 'query', text, params: params.map(toPostgresParam) });
    this.wrote = true;
    return { changes: result.changes, lastInsertRowid: returnsKey ? Number(result.rows[0]?.inserted_key ?? 0) : 0 };
  }

  get<T>(sql: string, ...params: Param[]): T | undefined {
    return this.all<T>(sql, ...params)[0];
  }

  all<T>(sql: string, ...params: Param[]): T[] {
    const { text } = toPostgres(sql);
    return this.send({ op: 'query', text, params: params.map(toPostgresParam) }).rows as T[];
  }

  exec(sql: string): void {
    this.send({ op: 'exec', text: sql });
  }

  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    const begin = `BEGIN; SELECT pg_advisory_xact_lock(hashtext('hero_desk.store'), hashtext('${this.schema}'))`;
    this.control = [begin];
    this.depth = 1;
    this.wrote = false;
    try {
      const result = work();
      // a transaction that never sent a statement has nothing to commit
      if (this.control[0] !== begin) {
        this.exec([...this.takeControl(), ...(this.wrote ? [`NOTIFY "${channelOf(this.schema)}"`] : []), 'COMMIT'].join('; '));
      }
      return result;
    } catch (error) {
      const sent = this.control[0] !== begin;
      this.control = [];
      if (sent) {
        try {
          this.exec('ROLLBACK');
        } catch {
          // keep the error that made us roll back
        }
      }
      throw error;
    } finally {
      this.control = [];
      this.depth = 0;
    }
  }

  savepoint<T>(work: () => T): T {
    if (this.depth === 0) throw new Error('savepoint outside a transaction');
    this.control.push(SAVEPOINT);
    this.depth++;
    try {
      const result = work();
      // a savepoint no statement used is dropped before it was ever sent
      if (this.control.at(-1) === SAVEPOINT) this.control.pop();
      else this.control.push('RELEASE part');
      return result;
    } catch (error) {
      if (this.control.at(-1) === SAVEPOINT) {
        this.control.pop();
      } else {
        try {
          this.exec([...this.takeControl(), 'ROLLBACK TO part', 'RELEASE part'].join('; '));
        } catch {
          // keep the error that made us roll back
        }
      }
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** PostgreSQL never rolls back behind our back: a failed statement fails the transaction, which throws. */
  get transactionLost(): boolean {
    return false;
  }

  /** How many commits (anyone's, ours included) the LISTEN connection has heard of. */
  dataVersion(): number {
    return Atomics.load(this.changes, 0);
  }

  explain(): string[] {
    throw new Error("EXPLAIN QUERY PLAN is SQLite's; on PostgreSQL run EXPLAIN in psql");
  }

  /** PostgreSQL keeps its own pages consistent (WAL, checksums); there is no file of ours to check. */
  integrityCheck(): string {
    return 'ok';
  }

  /** PostgreSQL's full disk (SQLSTATE 53100) fails the statement, which reports it as any other error. */
  onDiskFull(_listener: (error: DiskFullError) => void): () => void {
    return () => {};
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.send({ op: 'close' });
  }

  /** BEGIN, SAVEPOINT, RELEASE not sent yet: they go with the next statement, in the same round trip. */
  private takeControl(): string[] {
    const control = this.control;
    this.control = [];
    return control;
  }

  private send(request: DistributiveOmit<SyncRequest, 'handle' | 'fresh'>): Extract<SyncResponse, { ok: true }> {
    if (this.closed && request.op !== 'close') throw new Error(`the store ${this.path} is closed`);
    const before = request.op === 'query' || request.op === 'exec' ? this.takeControl().join('; ') : '';
    // after a lost connection, only a statement outside a transaction (or its BEGIN) may open a new one
    const fresh = this.depth === 0 || before.startsWith('BEGIN');
    const response = call!({ ...request, handle: this.handle, fresh, ...(before ? { before } : {}) } as SyncRequest);
    if (!response.ok) throw new PostgresError(`PostgreSQL (${this.path}): ${response.message}`, response.code);
    return response;
  }
}

const SAVEPOINT = 'SAVEPOINT part';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function channelOf(schema: string): string {
  return `${schema}_changes`;
}

function toPostgresParam(value: Param): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
