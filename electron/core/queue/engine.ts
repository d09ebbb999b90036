// The queue engine: claims jobs lane by lane (priority order, per-lane concurrency), keeps
// their leases alive while they run, and turns each run's outcome into the next durable
// state. Everything it decides is written to SQLite before it acts, so a crash at any point
// leaves a job either queued, or running under a lease that expires and is claimed again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import {
  claimNextJob,
  holdsLease,
  LeaseLostError,
  moveQueuedJob,
  overdueQueuedJobs,
  renewLease,
  requeueJob,
  settleJob,
  type JobKind,
  type JobRow,
} from '../store/jobs.ts';
import { isDiskFull } from '../failures.ts';
import { fullJitterDelay } from './backoff.ts';
import { laneDeadline, type LaneConfig } from './lanes.ts';
import { classifyFailure, type JobOutcome } from './outcome.ts';

export interface JobContext {
  job: JobRow;
  lane: LaneConfig;
  /** Aborts on the lane deadline, on shutdown, or when the lease is lost. */
  signal: AbortSignal;
  /** Runs `work` in a transaction only while this worker still holds the lease. */
  step<T>(work: () => T): T;
}

export interface JobHandler {
  run(context: JobContext): Promise<JobOutcome>;
  /** In the transaction that puts the job back in a queue (retry, deadline, shutdown). */
  onRequeue?(job: JobRow, lane: string, reason: string): void;
  /** In the transaction that fails the job for good. */
  onFailed?(job: JobRow, error: string): void;
}

export interface EngineOptions {
  store: Store;
  lanes: LaneConfig[];
  handlers: Record<JobKind, JobHandler>;
  logger: Logger;
  leaseMs?: number;
  pollMs?: number;
  owner?: string;
  /** While true nothing is claimed (the disk is full: work done now could not be saved). */
  paused?: () => boolean;
  /** A lane an editor paused: its queued jobs wait (running ones finish); deadlines still move jobs on. */
  lanePaused?: (lane: string) => boolean;
}

type AbortReason = 'deadline' | 'shutdown' | 'lease_lost';

/** Wait before retrying a job the machine failed (a full disk). */
const MACHINE_RETRY_MS = 5_000;

export class QueueEngine {
  private readonly store: Store;
  private readonly lanes: Map<string, LaneConfig>;
  private readonly handlers: Record<JobKind, JobHandler>;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly paused: () => boolean;
  private readonly lanePaused: (lane: string) => boolean;
  readonly owner: string;
  private readonly running = new Map<number, { lane: string; controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private ticking = false;
  private tickAgain = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.lanes = new Map(options.lanes.map((lane) => [lane.name, lane]));
    this.handlers = options.handlers;
    this.log = options.logger.child({ module: 'queue' });
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
    this.paused = options.paused ?? (() => false);
    this.lanePaused = options.lanePaused ?? (() => false);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.stopping = false;
    this.wake();
  }

  /** Look for work now (new job queued, a job finished) instead of at the next poll. */
  wake(): void {
    if (this.stopping) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = true;
    try {
      if (!this.paused()) {
        this.demoteOverdue();
        for (const lane of this.lanes.values()) if (!this.lanePaused(lane.name)) this.fillLane(lane);
      }
    } catch (error) {
      this.log.error({ err: error }, 'queue tick failed');
    } finally {
      this.ticking = false;
    }
    if (this.tickAgain) {
      this.tickAgain = false;
      queueMicrotask(() => this.wake());
    } else if (!this.stopping) {
      this.timer = setTimeout(() => this.wake(), this.pollMs);
    }
  }

  /** Stops claiming, aborts running jobs (they go back to their queue) and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const run of this.running.values()) run.controller.abort('shutdown' satisfies AbortReason);
    await Promise.allSettled([...this.running.values()].map((run) => run.done));
  }

  runningCount(lane?: string): number {
    return [...this.running.values()].filter((run) => lane === undefined || run.lane === lane).length;
  }

  private demoteOverdue(): void {
    for (const lane of this.lanes.values()) {
      for (const job of overdueQueuedJobs(this.store, lane.name)) {
        this.store.transaction(() => this.moveDown(job, lane, 'deadline passed while queued'));
      }
    }
  }

  private fillLane(lane: LaneConfig): void {
    while (this.runningCount(lane.name) < lane.concurrency && !this.stopping) {
      const job = claimNextJob(this.store, lane.name, this.owner, this.leaseMs);
      if (!job) return;
      this.launch(job, lane);
    }
  }

  private launch(job: JobRow, lane: LaneConfig): void {
    const controller = new AbortController();
    const done = this.execute(job, lane, controller).finally(() => {
      this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, { lane: lane.name, controller, done });
  }

  private async execute(job: JobRow, lane: LaneConfig, controller: AbortController): Promise<void> {
    const { signal } = controller;
    const heartbeat = setInterval(() => {
      try {
        if (!renewLease(this.store, job.id, this.owner, this.leaseMs)) controller.abort('lease_lost' satisfies AbortReason);
      } catch (error) {
        // the database refused the renewal (disk full): the run goes on, the settle guard decides
        this.log.warn({ err: error, jobId: job.id }, 'could not renew the lease');
      }
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    const untilDeadline = job.deadline_at === null ? null : Math.max(0, job.deadline_at - this.store.now());
    const deadline =
      untilDeadline === null ? null : setTimeout(() => controller.abort('deadline' satisfies AbortReason), untilDeadline);
    const context: JobContext = { job, lane, signal, step: (work) => this.step(job, work) };
    let outcome: JobOutcome;
    try {
      outcome = await this.handlers[job.kind].run(context);
    } catch (error) {
      outcome = classifyFailure(error);
    } finally {
      if (deadline) clearTimeout(deadline);
    }
    try {
      // a full disk refuses the settle too: keep the outcome (and the lease) until it fits
      for (;;) {
        try {
          this.settle(job, lane, outcome, signal.aborted ? (signal.reason as AbortReason) : null);
          break;
        } catch (error) {
          if (!isDiskFull(error) || this.stopping) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.min(this.leaseMs / 3, 1_000)));
        }
      }
    } catch (error) {
      if (error instanceof LeaseLostError) this.log.warn({ jobId: job.id }, 'lease lost; another worker owns the job');
      else this.log.error({ err: error, jobId: job.id }, 'could not settle job');
    } finally {
      clearInterval(heartbeat);
    }
  }

  private step<T>(job: JobRow, work: () => T): T {
    return this.store.transaction(() => {
      if (!holdsLease(this.store, job.id, this.owner)) throw new LeaseLostError(job.id);
      return work();
    });
  }

  private settle(job: JobRow, lane: LaneConfig, outcome: JobOutcome, aborted: AbortReason | null): void {
    if (aborted === 'lease_lost') return;
    const handler = this.handlers[job.kind];
    this.store.transaction(() => {
      if (outcome.type === 'done') {
        settleJob(this.store, job, this.owner, { status: 'done' }); // throws first if the lease is gone
        outcome.effect?.();
      } else if (aborted === 'shutdown') {
        const next = { lane: lane.name, runAfter: this.store.now(), deadlineAt: job.deadline_at, attempts: 'refund' as const };
        requeueJob(this.store, job, this.owner, { ...next, error: null });
        handler.onRequeue?.(job, lane.name, 'shutdown');
      } else if (aborted === 'deadline' || outcome.type === 'demote') {
        this.demoteRunning(job, lane, aborted === 'deadline' ? `deadline of lane ${lane.name} passed` : outcome.error);
      } else if (outcome.type === 'retry' && (outcome.machine || job.attempts < lane.maxAttempts)) {
        // the disk watch pauses the queue while the disk is full: once it is not, soon
        const backoff = outcome.machine ? Math.min(lane.backoffCapMs, MACHINE_RETRY_MS) : fullJitterDelay(job.attempts, lane.backoffBaseMs, lane.backoffCapMs);
        const delay = Math.max(outcome.retryAfterMs ?? 0, backoff);
        const attempts = outcome.machine ? ('refund' as const) : ('keep' as const);
        const next = { lane: lane.name, runAfter: this.store.now() + delay, deadlineAt: job.deadline_at, attempts };
        requeueJob(this.store, job, this.owner, { ...next, error: outcome.error });
        handler.onRequeue?.(job, lane.name, outcome.error);
      } else if (outcome.type === 'retry') {
        this.demoteRunning(job, lane, `${outcome.error} (after ${job.attempts} attempts)`);
      } else {
        settleJob(this.store, job, this.owner, { status: 'failed', error: outcome.error });
        handler.onFailed?.(job, outcome.error);
      }
    });
    this.log.debug({ jobId: job.id, outcome: outcome.type, aborted }, 'job settled');
  }

  private demoteRunning(job: JobRow, lane: LaneConfig, reason: string): void {
    const handler = this.handlers[job.kind];
    const next = lane.next ? this.lanes.get(lane.next) : undefined;
    if (!next) {
      settleJob(this.store, job, this.owner, { status: 'failed', error: reason });
      handler.onFailed?.(job, reason);
      return;
    }
    const deadlineAt = laneDeadline(next, this.store.now());
    requeueJob(this.store, job, this.owner, { lane: next.name, runAfter: this.store.now(), deadlineAt, attempts: 'reset', error: reason });
    handler.onRequeue?.(job, next.name, reason);
  }

  private moveDown(job: JobRow, lane: LaneConfig, reason: string): void {
    const next = lane.next ? this.lanes.get(lane.next) : undefined;
    if (!next) return;
    if (moveQueuedJob(this.store, job, next.name, laneDeadline(next, this.store.now()))) {
      this.handlers[job.kind].onRequeue?.(job, next.name, reason);
    }
  }
}
