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
  | { op: 'query'; text: string; params: unknown[]; before?: string; fresh: boolean }
  | { op: 'exec'; text: string; before?: string; fresh: boolean }
  | { op: 'close' }
);

export type SyncResponse =
  { ok: true; rows: Record<string, unknown>[]; changes: number; schemaVersion?: number } | { ok: false; message: string; code?: string };

interface Connection {
  config: pg.ClientConfig;
  channel: string;
  changes: Int32Array;
  /** Null once the connection dropped (a server restart): made again by the next statement that may. */
  client: pg.Client | null;
  listener: pg.Client | null;
  relisten: NodeJS.Timeout | null;
}
const connections = new Map<number, Connection>();

/** Long enough for any statement of ours; short enough that a server that stopped answering is an error, not a hang. */
const QUERY_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
const RELISTEN_MS = 2_000;

async function handle(request: SyncRequest): Promise<SyncResponse> {
  try {
    switch (request.op) {
      case 'open':
        return await open(request);
      case 'query': {
        const client = await clientFor(request.handle, request.fresh);
        if (request.before) await client.query(request.before);
        const result = await client.query({ name: statementName(request.text), text: request.text, values: request.params });
        return { ok: true, rows: result.rows as Record<string, unknown>[], changes: result.rowCount ?? 0 };
      }
      case 'exec': {
        const client = await clientFor(request.handle, request.fresh);
        await client.query(request.before ? `${request.before}; ${request.text}` : request.text);
        return { ok: true, rows: [], changes: 0 };
      }
      case 'close': {
        const connection = connections.get(request.handle);
        connections.delete(request.handle);
        if (connection?.relisten) clearTimeout(connection.relisten);
        await Promise.allSettled([connection?.client?.end(), connection?.listener?.end()]);
        return { ok: true, rows: [], changes: 0 };
      }
    }
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    return { ok: false, message: message ?? String(error), code };
  }
}

async function open(request: Extract<SyncRequest, { op: 'open' }>): Promise<SyncResponse> {
  const migrating = connectPostgres(request.url, { schema: request.schema, max: 1 });
  let schemaVersion: number;
  try {
    schemaVersion = await migratePostgres(migrating);
  } finally {
    await migrating.close();
  }
  const connection: Connection = {
    // statements wait at most 10 s for another process's write lock, as SQLite's busy_timeout, then fail
    config: {
      connectionString: request.url,
      options: `-c search_path=${request.schema} -c lock_timeout=10000`,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'hero-desk',
      query_timeout: QUERY_TIMEOUT_MS,
    },
    channel: request.channel,
    changes: new Int32Array(request.changes),
    client: null,
    listener: null,
    relisten: null,
  };
  connections.set(request.handle, connection);
  await connectClient(connection);
  await listen(connection);
  return { ok: true, rows: [], changes: 0, schemaVersion };
}

async function connectClient(connection: Connection): Promise<pg.Client> {
  const client = new pg.Client(connection.config);
  const lost = () => {
    if (connection.client === client) connection.client = null;
  };
  // a dropped connection fails the statement in flight (which says so) and is made again by the next
  client.on('error', lost);
  client.on('end', lost);
  await client.connect();
  connection.client = client;
  return client;
}

/**
 * The LISTEN connection, and again every 2 s while it is down. Once back it counts one change, so the
 * store reads the event log for what it may have missed meanwhile.
 */
async function listen(connection: Connection): Promise<void> {
  const listener = new pg.Client(connection.config);
  const lost = () => {
    if (connection.listener !== listener) return;
    connection.listener = null;
    scheduleRelisten(connection);
  };
  listener.on('error', lost);
  listener.on('end', lost);
  listener.on('notification', () => Atomics.add(connection.changes, 0, 1));
  await listener.connect();
  await listener.query(`LISTEN ${listener.escapeIdentifier(connection.channel)}`);
  connection.listener = listener;
  Atomics.add(connection.changes, 0, 1);
}

function scheduleRelisten(connection: Connection): void {
  if (connection.relisten || !isOpen(connection)) return;
  connection.relisten = setTimeout(() => {
    connection.relisten = null;
    if (!isOpen(connection)) return;
    listen(connection).catch(() => scheduleRelisten(connection));
  }, RELISTEN_MS);
}

const isOpen = (connection: Connection) => [...connections.values()].includes(connection);

/** The store's connection; a lost one is made again only where a statement starts afresh (not mid-transaction). */
async function clientFor(handle: number, fresh: boolean): Promise<pg.Client> {
  const connection = connections.get(handle);
  if (!connection) throw new Error('the PostgreSQL store is closed');
  if (connection.client) return connection.client;
  if (!fresh) throw new Error('the connection to PostgreSQL was lost during this transaction, which did not commit');
  return connectClient(connection);
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

runAsWorker(handle);
