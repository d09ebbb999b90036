// The queue's seam towards its database, asynchronous so a server database (PostgreSQL) can sit behind it
// as well as the embedded SQLite file. Same rows and the same rules as store/jobs.ts: a job is claimed by
// taking a lease (owner + expiry), renewed by a heartbeat, and every terminal write is guarded by the lease,
// so a worker that lost it cannot settle. Lane concurrency is held by the database, across every worker.
// Today only store/postgres/job-queue.ts implements it; the SQLite store and the engine still use the
// synchronous functions of store/jobs.ts (ARCHITECTURE.md, "Past one machine", says what is left).
import type { JobRow, NewJob } from './jobs.ts';

export type { JobRow, NewJob } from './jobs.ts';
export { LeaseLostError } from './jobs.ts';

export interface SettleOutcome {
  status: 'done' | 'failed' | 'cancelled';
  error?: string;
}

export interface RequeueNext {
  lane: string;
  runAfter: number;
  deadlineAt: number | null;
  /** 'reset' on a new lane; 'refund' when the run was interrupted (shutdown), not failed. */
  attempts: 'keep' | 'reset' | 'refund';
  error: string | null;
}

/** One job's end: settled for good, or put back in a queue; `effect` writes in the same transaction. */
export type Settlement<Tx> = { job: JobRow; owner: string; effect?: (tx: Tx) => Promise<void> } & (
  { settle: SettleOutcome } | { requeue: RequeueNext }
);

/**
 * `Tx` is what a settle's effect writes through in the settle's own transaction (a PostgreSQL client
 * inside BEGIN … COMMIT; the SQLite Store once it implements this), so an effect happens exactly once.
 */
export interface JobQueueBackend<Tx = unknown> {
  /** One commit per job; wakes idle workers. Returns the job's id. */
  enqueue(job: NewJob): Promise<number>;
  /**
   * Leases up to `limit` due jobs of the lane, most urgent first: queued and due, or running with an
   * expired lease (its worker died). Never more than `laneConcurrency` live leases in the lane across
   * all workers together.
   */
  claim(lane: string, owner: string, leaseMs: number, limit: number, laneConcurrency: number): Promise<JobRow[]>;
  /** False once the lease is no longer ours (expired and taken, or the job was cancelled). */
  renewLease(jobId: number, owner: string, leaseMs: number): Promise<boolean>;
  holdsLease(jobId: number, owner: string): Promise<boolean>;
  /** Ends a job we hold; throws LeaseLostError (and runs no effect) otherwise. */
  settle(job: JobRow, owner: string, outcome: SettleOutcome, effect?: (tx: Tx) => Promise<void>): Promise<void>;
  /** Puts a job we hold back in a queue; throws LeaseLostError otherwise. */
  requeue(job: JobRow, owner: string, next: RequeueNext, effect?: (tx: Tx) => Promise<void>): Promise<void>;
  /**
   * Ends several jobs in one commit (a worker whose runs finished together pays for one disk write, not
   * one each). Each job's writes stand or fall alone: per item, undefined when it was settled, or the
   * error (LeaseLostError, a failed effect) that undid only that job's writes.
   */
  settleAll(settlements: readonly Settlement<Tx>[]): Promise<unknown[]>;
  /** Calls `onWork(lane)` when a job may have become claimable in a lane (queued, requeued, a slot freed). */
  onWork(onWork: (lane: string) => void): Promise<{ close(): Promise<void> }>;
  openJobCount(): Promise<number>;
  close(): Promise<void>;
}
