// The job queue on PostgreSQL, for workers on several machines sharing one database. The same rules as
// store/jobs.ts on SQLite: a claim takes a lease (owner + expiry) that a heartbeat renews; a job whose
// lease ran out is claimable again; every terminal write is guarded by the lease owner. What SQLite gets
// from its single writer, PostgreSQL gets from locks:
// - claims skip rows another transaction holds (FOR UPDATE SKIP LOCKED), so two workers never take one job;
// - a lane's claims take a per-lane advisory transaction lock and count the lane's live leases under it,
//   so lane concurrency holds across all workers, not per process;
// - enqueues and requeues NOTIFY, so an idle worker LISTENing wakes at once instead of at its next poll.
// Times are the database's clock (every worker agrees on when a lease ran out), ms since the epoch.
import type pg from 'pg';
import { storable } from '../redact.ts';
import {
  LeaseLostError,
  type JobQueueBackend,
  type JobRow,
  type NewJob,
  type RequeueNext,
  type SettleOutcome,
  type Settlement,
} from '../job-queue-backend.ts';
import { inTransaction, type PostgresConnection } from './connection.ts';

/** The settle's effect writes through the transaction's own connection. */
export type PostgresTx = pg.PoolClient;

const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** Due in the lane: queued and due, or running with an expired lease (its worker died). */
const due = (now: string) =>
  `lane = $1 AND ((status = 'queued' AND run_after <= ${now}) OR (status = 'running' AND lease_expires_at < ${now}))`;

const ANY_DUE_SQL = `SELECT 1 FROM jobs WHERE ${due(NOW_MS)} LIMIT 1`;

// Run after the lane's advisory lock is held (a statement of its own, so this one's snapshot sees every
// claim that committed before): counts the lane's live leases and takes only the free slots. The clock is
// read once, here, after the lock: a claim never uses a time older than the commit it waited for.
const CLAIM_SQL = `
  WITH t AS MATERIALIZED (SELECT ${NOW_MS} AS now),
  live AS (SELECT count(*) AS n FROM jobs, t WHERE lane = $1 AND status = 'running' AND lease_expires_at >= t.now),
  picked AS (
    SELECT id FROM jobs WHERE ${due('(SELECT now FROM t)')}
    ORDER BY priority DESC, created_at, id
    LIMIT GREATEST(0, LEAST($4::int, $5::int - (SELECT n FROM live)))
    FOR UPDATE SKIP LOCKED
  )
  UPDATE jobs SET status = 'running', lease_owner = $2, lease_expires_at = t.now + $3::bigint, attempts = attempts + 1, updated_at = t.now
  FROM t WHERE id IN (SELECT id FROM picked) RETURNING jobs.*`;

const SETTLE_SQL = `
  UPDATE jobs SET status = $1, last_error = $2, lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW_MS}, finished_at = ${NOW_MS}
  WHERE id = $3 AND lease_owner = $4 AND status = 'running'`;

const REQUEUE_SQL = `
  WITH moved AS (
    UPDATE jobs SET status = 'queued', lane = $1, run_after = $2, deadline_at = $3,
      attempts = CASE $4 WHEN 'reset' THEN 0 WHEN 'refund' THEN GREATEST(attempts - 1, 0) ELSE attempts END, last_error = $5,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW_MS}
    WHERE id = $6 AND lease_owner = $7 AND status = 'running' RETURNING lane
  )
  SELECT pg_notify($8, lane) FROM moved`;

interface PgJobRow {
  id: string;
  kind: JobRow['kind'];
  lane: string;
  article_id: string;
  publication_id: string | null;
  priority: number;
  status: JobRow['status'];
  run_after: string;
  deadline_at: string | null;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

/** pg hands BIGINT over as text (it may not fit a double); ids and ms timestamps do. */
function jobFromRow(row: PgJobRow): JobRow {
  return {
    ...row,
    id: Number(row.id),
    publication_id: num(row.publication_id),
    run_after: Number(row.run_after),
    deadline_at: num(row.deadline_at),
    lease_expires_at: num(row.lease_expires_at),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    finished_at: num(row.finished_at),
  };
}

function byUrgency(a: JobRow, b: JobRow): number {
  return b.priority - a.priority || a.created_at - b.created_at || a.id - b.id;
}

export class PostgresJobQueue implements JobQueueBackend<PostgresTx> {
  private readonly connection: PostgresConnection;
  private readonly pool: pg.Pool;
  /** NOTIFY's channel, per schema: queues in other schemas of the database do not wake this one's workers. */
  readonly channel: string;

  constructor(connection: PostgresConnection) {
    this.connection = connection;
    this.pool = connection.pool;
    this.channel = `hero_desk_jobs.${connection.schema}`;
  }

  async enqueue(job: NewJob): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH t AS (SELECT ${NOW_MS} AS now),
       job AS (
         INSERT INTO jobs (kind, lane, article_id, publication_id, priority, status, run_after, deadline_at, max_attempts, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, 'queued', COALESCE($6, t.now), $7, $8, t.now, t.now FROM t RETURNING id, lane
       )
       SELECT id, pg_notify($9, lane) FROM job`,
      [
        job.kind,
        job.lane,
        job.articleId,
        job.publicationId ?? null,
        job.priority,
        job.runAfter ?? null,
        job.deadlineAt,
        job.maxAttempts,
        this.channel,
      ],
    );
    return Number(rows[0]!.id);
  }

  async claim(lane: string, owner: string, leaseMs: number, limit: number, laneConcurrency: number): Promise<JobRow[]> {
    if (limit <= 0) return [];
    // an idle worker polls: a plain read says "nothing to do" without a transaction or the lane's lock
    if ((await this.pool.query(ANY_DUE_SQL, [lane])).rowCount === 0) return [];
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.channel, lane]);
      const claimed = await client.query<PgJobRow>(CLAIM_SQL, [lane, owner, leaseMs, limit, laneConcurrency]);
      return claimed.rows.map(jobFromRow).sort(byUrgency);
    });
  }

  async renewLease(jobId: number, owner: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE jobs SET lease_expires_at = ${NOW_MS} + $1::bigint WHERE id = $2 AND lease_owner = $3 AND status = 'running'`,
      [leaseMs, jobId, owner],
    );
    return rowCount === 1;
  }

  async holdsLease(jobId: number, owner: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running'", [
      jobId,
      owner,
    ]);
    return rowCount === 1;
  }

  async settle(job: JobRow, owner: string, outcome: SettleOutcome, effect?: (tx: PostgresTx) => Promise<void>): Promise<void> {
    await this.settleOne({ job, owner, settle: outcome, effect });
  }

  async requeue(job: JobRow, owner: string, next: RequeueNext, effect?: (tx: PostgresTx) => Promise<void>): Promise<void> {
    await this.settleOne({ job, owner, requeue: next, effect });
  }

  async settleAll(settlements: readonly Settlement<PostgresTx>[]): Promise<unknown[]> {
    if (settlements.length === 1) return [await this.settleOne(settlements[0]!).catch((error: unknown) => error)];
    return inTransaction(this.pool, async (client) => {
      const results: unknown[] = [];
      for (const settlement of settlements) {
        // a guard that matches no row writes nothing: only an effect needs a savepoint to be undone
        if (settlement.effect) await client.query('SAVEPOINT settlement');
        try {
          await this.writeWithEffect(client, settlement);
          if (settlement.effect) await client.query('RELEASE SAVEPOINT settlement');
          results.push(undefined);
        } catch (error) {
          if (settlement.effect) await client.query('ROLLBACK TO SAVEPOINT settlement');
          results.push(error);
        }
      }
      return results;
    });
  }

  /** One settlement: a single statement (its own commit) without an effect, BEGIN … COMMIT with one. */
  private async settleOne(settlement: Settlement<PostgresTx>): Promise<void> {
    if (!settlement.effect) return this.write(this.pool, settlement);
    await inTransaction(this.pool, async (client) => this.writeWithEffect(client, settlement));
  }

  private async write(client: pg.Pool | pg.PoolClient, settlement: Settlement<PostgresTx>): Promise<void> {
    const { job, owner } = settlement;
    const { rowCount } =
      'settle' in settlement
        ? await client.query(SETTLE_SQL, [settlement.settle.status, storable(settlement.settle.error), job.id, owner])
        : await client.query(REQUEUE_SQL, [
            settlement.requeue.lane,
            settlement.requeue.runAfter,
            settlement.requeue.deadlineAt,
            settlement.requeue.attempts,
            storable(settlement.requeue.error),
            job.id,
            owner,
            this.channel,
          ]);
    if (rowCount !== 1) throw new LeaseLostError(job.id);
  }

  /** The guarded write, then the effect on the same transaction's connection. */
  private async writeWithEffect(client: pg.PoolClient, settlement: Settlement<PostgresTx>): Promise<void> {
    await this.write(client, settlement);
    if (settlement.effect) await settlement.effect(client);
  }

  async onWork(onWork: (lane: string) => void): Promise<{ close(): Promise<void> }> {
    const client = await this.connection.dedicatedClient();
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload) onWork(message.payload);
    });
    // a dropped listening connection only costs the wake-ups: workers still poll
    client.on('error', () => {});
    await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    return { close: () => client.end() };
  }

  async openJobCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM jobs WHERE finished_at IS NULL');
    return Number(rows[0]!.n);
  }

  async job(jobId: number): Promise<JobRow | undefined> {
    const { rows } = await this.pool.query<PgJobRow>('SELECT * FROM jobs WHERE id = $1', [jobId]);
    return rows[0] ? jobFromRow(rows[0]) : undefined;
  }

  /** Closes the pool (the connection's owner may share it: then close the connection instead). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
