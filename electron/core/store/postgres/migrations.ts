// Versioned schema for PostgreSQL, as store/migrations.ts is for SQLite: `schema_version` records which
// of these have run; a migration is never edited once shipped — add a new one instead. Only the job
// queue and the shared provider limits live here so far; the other tables move here with the rest of
// the store (ARCHITECTURE.md).
import type { PostgresConnection } from './connection.ts';
import { inTransaction } from './connection.ts';

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the job queue (the same columns as SQLite's jobs; times are ms since the epoch, as there)
  `
  CREATE TABLE jobs (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL,          -- generate | publish | upgrade
    lane             TEXT NOT NULL,
    article_id       TEXT NOT NULL,          -- references articles(id) once articles move here
    publication_id   BIGINT,
    priority         INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    run_after        BIGINT NOT NULL,
    deadline_at      BIGINT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    finished_at      BIGINT
  );
  -- the claim walks these two in order: due queued jobs by urgency, running jobs by lease expiry
  CREATE INDEX jobs_queued ON jobs (lane, priority DESC, created_at, id) WHERE status = 'queued';
  CREATE INDEX jobs_leased ON jobs (lane, lease_expires_at) WHERE status = 'running';
  -- at most one open job of a kind per article, as SQLite's jobs_one_open
  CREATE UNIQUE INDEX jobs_one_open ON jobs (article_id, kind) WHERE finished_at IS NULL;
  `,
  // 2: per-provider limits shared by every worker (provider-limits.ts): calls in flight, calls started
  `
  CREATE TABLE provider_slots (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider    TEXT NOT NULL,
    owner       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL            -- a holder that died frees its slot here
  );
  CREATE INDEX provider_slots_live ON provider_slots (provider, expires_at);
  CREATE TABLE provider_calls (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider    TEXT NOT NULL,
    started_at  BIGINT NOT NULL
  );
  CREATE INDEX provider_calls_recent ON provider_calls (provider, started_at);
  `,
];

/**
 * Brings the schema up to the newest version, in one transaction under an advisory lock, so several
 * workers starting at once migrate once and a failed migration leaves nothing half-applied (PostgreSQL's
 * DDL is transactional). Returns the version now in force.
 */
export async function migratePostgres(connection: PostgresConnection): Promise<number> {
  const { schema } = connection;
  return inTransaction(connection.pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('hero_desk.migrate'), hashtext($1))", [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    // the session's search_path named the schema before it existed: name it again now that it does
    await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(schema)}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const current = rows[0]?.v ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `the database schema is at version ${current}, newer than this Hero Desk (${POSTGRES_MIGRATIONS.length}): upgrade it`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
    }
    return POSTGRES_MIGRATIONS.length;
  });
}
