// The thread behind postgres/sync-db.ts: it holds the store's PostgreSQL connection and answers one
// statement at a time while the store's thread waits (synckit), so the store keeps SQLite's synchronous
// transactions. A second connection LISTENs for other processes' commits and counts them in shared
// memory, which the store's thread reads without a round trip (other-writers.ts).
import pg from 'pg';
import { runAsWorker } from 'synckit';
import { connectPostgres } from './connection.ts';
import { migratePostgres } from './migrations.ts';

// numbers as node:sqlite returns them: BIGINT and NUMERIC (SUM, COUNT) as numbers, booleans as 1/0
pg.types.setTypeParser(20, Number);
pg.types.setTypeParser(1700, Number);
pg.types.setTypeParser(16, (value: string) => (value === 't' ? 1 : 0));

/** synckit keeps one thread per worker file: every store of the process is a handle on it. */
export type SyncRequest = { handle: number } & (
  | { op: 'open'; url: string; schema: string; channel: string; changes: SharedArrayBuffer }
  | { op: 'query'; text: string; params: unknown[]; before?: string }
  | { op: 'exec'; text: string; before?: string }
  | { op: 'close' }
);

export type SyncResponse =
  { ok: true; rows: Record<string, unknown>[]; changes: number; schemaVersion?: number } | { ok: false; message: string; code?: string };

interface Connection {
  client: pg.Client;
  listener: pg.Client;
}
const connections = new Map<number, Connection>();

async function handle(request: SyncRequest): Promise<SyncResponse> {
  try {
    switch (request.op) {
      case 'open':
        return await open(request);
      case 'query': {
        const { client } = connected(request.handle);
        if (request.before) await client.query(request.before);
        const result = await client.query({ name: statementName(request.text), text: request.text, values: request.params });
        return { ok: true, rows: result.rows as Record<string, unknown>[], changes: result.rowCount ?? 0 };
      }
      case 'exec': {
        const { client } = connected(request.handle);
        await client.query(request.before ? `${request.before}; ${request.text}` : request.text);
        return { ok: true, rows: [], changes: 0 };
      }
      case 'close': {
        const connection = connections.get(request.handle);
        connections.delete(request.handle);
        await Promise.allSettled([connection?.client.end(), connection?.listener.end()]);
        return { ok: true, rows: [], changes: 0 };
      }
    }
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    return { ok: false, message: message ?? String(error), code };
  }
}

async function open(request: Extract<SyncRequest, { op: 'open' }>): Promise<SyncResponse> {
  // statements wait at most 10 s for another process's write lock, as SQLite's busy_timeout, then fail
  const connection = connectPostgres(request.url, { schema: request.schema, max: 1 });
  let schemaVersion: number;
  try {
    schemaVersion = await migratePostgres(connection);
  } finally {
    await connection.close();
  }
  const options = { connectionString: request.url, options: `-c search_path=${request.schema} -c lock_timeout=10000` };
  const client = new pg.Client(options);
  // a dropped connection fails the next statement (which says so); it must not crash the thread
  client.on('error', () => {});
  await client.connect();
  const listener = new pg.Client(options);
  listener.on('error', () => {});
  const changes = new Int32Array(request.changes);
  listener.on('notification', () => Atomics.add(changes, 0, 1));
  await listener.connect();
  await listener.query(`LISTEN ${listener.escapeIdentifier(request.channel)}`);
  connections.set(request.handle, { client, listener });
  return { ok: true, rows: [], changes: 0, schemaVersion };
}

/** Each statement is parsed and planned once per connection (node-pg prepares a named statement once). */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

function connected(handle: number): Connection {
  const connection = connections.get(handle);
  if (!connection) throw new Error('the PostgreSQL store is closed');
  return connection;
}

runAsWorker(handle);
