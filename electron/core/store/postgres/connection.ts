// A pool of connections to one PostgreSQL database, every connection pinned to one schema (search_path),
// so several desks' or tests' queues can share a database without seeing each other.
import pg from 'pg';

export interface PostgresConnection {
  readonly pool: pg.Pool;
  /** The schema every table lives in (created by the migrations). */
  readonly schema: string;
  /** Opens a connection outside the pool (LISTEN needs one of its own for as long as it listens). */
  dedicatedClient(): Promise<pg.Client>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  schema?: string;
  /** Pool size; each worker needs a few (claim, heartbeats, settles in flight). */
  max?: number;
}

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function connectPostgres(url: string, options: ConnectOptions = {}): PostgresConnection {
  const schema = options.schema ?? 'hero_desk';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`schema name "${schema}" must be lower-case letters, digits and _`);
  const config = { connectionString: url, options: `-c search_path=${schema}` };
  const pool = new pg.Pool({ ...config, max: options.max ?? 10 });
  // an idle pooled connection that drops (server restart) must not crash the process; the next query reconnects
  pool.on('error', () => {});
  return {
    pool,
    schema,
    async dedicatedClient() {
      const client = new pg.Client(config);
      await client.connect();
      return client;
    },
    close: () => pool.end(),
  };
}

/** BEGIN … COMMIT on one pooled connection; any throw rolls back and is rethrown. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
