// The relay's shared memory in PostgreSQL, for several relay instances behind a load balancer: the same
// rules as relay-store.ts (one seq for the stream, idempotency-key dedupe, the newest message per article,
// the same trimming), plus a log of every accepted message by seq, which peers read to catch up. Appends
// take the stream row's lock, so seqs commit in order and without holes: a peer that has applied seq N
// and reads "seq > N" can never skip one. Each commit NOTIFYs the seq; the table is the truth, the
// notification only a nudge.
import { randomUUID } from 'node:crypto';
import { inTransaction, type PostgresConnection } from '../store/postgres/connection.ts';
import type { AppendResult, RelayStoreLimits, StoredMessage } from './relay-store.ts';

const SCHEMA_VERSION = 1;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_stream (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  schema_version  INTEGER NOT NULL,
  epoch           TEXT NOT NULL,
  seq             BIGINT NOT NULL,
  trimmed_through BIGINT NOT NULL,
  article_count   INTEGER NOT NULL
);
-- one row per article: its newest message (highest version), as the frame readers receive
CREATE TABLE IF NOT EXISTS relay_articles (
  article_id TEXT PRIMARY KEY,
  seq        BIGINT NOT NULL UNIQUE,
  version    INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  frame      TEXT NOT NULL
);
-- every accepted message, newest keyLimit kept: the idempotency keys, and what peers replay by seq
CREATE TABLE IF NOT EXISTS relay_log (
  seq             BIGINT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  article_id      TEXT NOT NULL,
  version         INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  frame           TEXT NOT NULL
);
`;

export interface StreamSnapshot {
  epoch: string;
  seq: number;
  trimmedThrough: number;
  /** The newest message of each article kept, in seq order. */
  articles: LoggedMessage[];
}

export interface LoggedMessage {
  seq: number;
  articleId: string;
  version: number;
  kind: 'publish' | 'retract';
  frame: string;
}

/** LISTEN/NOTIFY channels are per database, so the channel names the schema. */
export const relayChannel = (schema: string): string => `hd_relay_${schema}`.slice(0, 63);

/** Creates the tables (once, under an advisory lock) and the stream's epoch; refuses a newer schema. */
export async function prepareRelaySchema(connection: PostgresConnection): Promise<void> {
  await inTransaction(connection.pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('hero_desk.relay'), hashtext($1))", [connection.schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(connection.schema)}`);
    await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(connection.schema)}`);
    await client.query(SCHEMA);
    // a new stream gets a new epoch: readers' positions from elsewhere mean nothing here
    await client.query(
      'INSERT INTO relay_stream (id, schema_version, epoch, seq, trimmed_through, article_count) VALUES (1, $1, $2, 0, 0, 0) ON CONFLICT (id) DO NOTHING',
      [SCHEMA_VERSION, randomUUID().slice(0, 8)],
    );
    const { rows } = await client.query<{ schema_version: number }>('SELECT schema_version FROM relay_stream');
    const version = rows[0]?.schema_version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `the relay history in schema ${connection.schema} was written by a newer Hero Desk (schema ${version}); upgrade this one`,
      );
    }
  });
}

/** Epoch, position and articles as of one moment (REPEATABLE READ: the articles match the seq). */
export async function readSnapshot(connection: PostgresConnection): Promise<StreamSnapshot> {
  const client = await connection.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const stream = await client.query<{ epoch: string; seq: string; trimmed_through: string }>(
      'SELECT epoch, seq, trimmed_through FROM relay_stream',
    );
    const articles = await client.query<ArticleRow>('SELECT seq, article_id, version, kind, frame FROM relay_articles ORDER BY seq');
    await client.query('COMMIT');
    const row = stream.rows[0]!;
    return { epoch: row.epoch, seq: Number(row.seq), trimmedThrough: Number(row.trimmed_through), articles: articles.rows.map(fromRow) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Accepted messages after `seq`, in order; the first is not seq + 1 when the log was trimmed past it. */
export async function readLogAfter(connection: PostgresConnection, seq: number, limit: number): Promise<LoggedMessage[]> {
  const { rows } = await connection.pool.query<ArticleRow>(
    'SELECT seq, article_id, version, kind, frame FROM relay_log WHERE seq > $1 ORDER BY seq LIMIT $2',
    [seq, limit],
  );
  return rows.map(fromRow);
}

/** One transaction: dedupe by key, the next seq, the log, the article's state, trimming, NOTIFY. */
export async function appendMessage(
  connection: PostgresConnection,
  message: StoredMessage,
  frameFor: (seq: number) => string,
  limits: RelayStoreLimits,
): Promise<AppendResult> {
  return inTransaction(connection.pool, async (client) => {
    // the stream row's lock serializes appends from every instance (commit order = seq order)
    const stream = await client.query<{ seq: string; trimmed_through: string; article_count: number }>(
      'SELECT seq, trimmed_through, article_count FROM relay_stream WHERE id = 1 FOR UPDATE',
    );
    const earlier = await client.query<{ seq: string }>('SELECT seq FROM relay_log WHERE idempotency_key = $1', [message.idempotencyKey]);
    if (earlier.rows[0]) return { seq: Number(earlier.rows[0].seq), duplicate: true };
    const row = stream.rows[0]!;
    const next = Number(row.seq) + 1;
    let trimmed = Number(row.trimmed_through);
    let articles = row.article_count;
    const frame = frameFor(next);
    await client.query('INSERT INTO relay_log (seq, idempotency_key, article_id, version, kind, frame) VALUES ($1, $2, $3, $4, $5, $6)', [
      next,
      message.idempotencyKey,
      message.articleId,
      message.version,
      message.kind,
      frame,
    ]);
    await client.query('DELETE FROM relay_log WHERE seq <= $1', [next - limits.keyLimit]);
    const held = await client.query<{ version: number }>('SELECT version FROM relay_articles WHERE article_id = $1', [message.articleId]);
    if (!held.rows[0]) {
      await client.query('INSERT INTO relay_articles (article_id, seq, version, kind, frame) VALUES ($1, $2, $3, $4, $5)', [
        message.articleId,
        next,
        message.version,
        message.kind,
        frame,
      ]);
      articles += 1;
      if (articles > limits.articleLimit) {
        const dropped = await client.query<{ seq: string }>(
          'DELETE FROM relay_articles WHERE seq = (SELECT min(seq) FROM relay_articles) RETURNING seq',
        );
        articles -= 1;
        if (dropped.rows[0]) trimmed = Math.max(trimmed, Number(dropped.rows[0].seq));
      }
    } else if (message.version >= held.rows[0].version) {
      await client.query('UPDATE relay_articles SET seq = $1, version = $2, kind = $3, frame = $4 WHERE article_id = $5', [
        next,
        message.version,
        message.kind,
        frame,
        message.articleId,
      ]);
    } // else: an older version arriving late is passed on live but is not the article's state
    await client.query('UPDATE relay_stream SET seq = $1, trimmed_through = $2, article_count = $3 WHERE id = 1', [
      next,
      trimmed,
      articles,
    ]);
    // delivered to every listening instance when (and only if) this commits
    await client.query('SELECT pg_notify($1, $2)', [relayChannel(connection.schema), String(next)]);
    return { seq: next, duplicate: false };
  });
}

interface ArticleRow {
  seq: string;
  article_id: string;
  version: number;
  kind: 'publish' | 'retract';
  frame: string;
}

const fromRow = (row: ArticleRow): LoggedMessage => ({
  seq: Number(row.seq),
  articleId: row.article_id,
  version: row.version,
  kind: row.kind,
  frame: row.frame,
});
