// The queue engine: claims jobs lane by lane (priority order, per-lane concurrency), keeps
// their leases alive while they run, and turns each run's outcome into the next durable
// state. Everything it decides is written to SQLite before it acts, so a crash at any point
// leaves a job either queued, or running under a lease that expires and is claimed again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import {
  claimJobs,
  convertToUpgrade,
  enqueueJob,
  holdsLease,
  openJob,
  LeaseLostError,
  moveQueuedJob,
  overdueQueuedJobs,
  renewLease,
  requeueJob,
  settleJob,
  type JobKind,
  type JobRow,
} from '../store/jobs.ts';
import { isDiskFull, isStoreUnreachable } from '../base/failures.ts';
import { fullJitterDelay } from './backoff.ts';
import { laneDeadline, UPGRADE_PRIORITY, type LaneConfig } from './lanes.ts';
import { classifyFailure, type JobOutcome } from './outcome.ts';

export interface JobContext {
  /** The job as it is now (its kind turns to 'upgrade' when it goes on past its deadline). */
  readonly job: JobRow;
  lane: LaneConfig;
  /**
   * True once the job is an upgrade: the story has dropped to the next tier, whose fallback job
   * now owns the story's status; this run only adds its image when it is done.
   */
  upgrading(): boolean;
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
  /**
   * At its lane's deadline: should this job's work go on in the background as an upgrade (while a
   * fallback job runs on the next lane) rather than simply drop a lane? Asked in the transaction.
   */
  upgradeAtDeadline?(job: JobRow, lane: LaneConfig): boolean;
  /** In the transaction that turned the job into an upgrade and queued its fallback on `fallbackLane`. */
  onUpgrade?(job: JobRow, fallbackLane: string, reason: string): void;
  /** Jobs of this kind never move down a lane: when their lane cannot do it, they fail. */
  keepsLane?: boolean;
}

export interface EngineOptions {
  store: Store;
  lanes: LaneConfig[];
  /** 'upgrade' is optional: without it no job goes on past its deadline. */
  handlers: Record<Exclude<JobKind, 'upgrade'>, JobHandler> & Partial<Record<'upgrade', JobHandler>>;
  logger: Logger;
  leaseMs?: number;
  pollMs?: number;
  owner?: string;
  /** While true nothing is claimed (the disk is full: work done now could not be saved). */
  paused?: () => boolean;
  /** A lane an editor paused: its queued jobs wait (running ones finish); deadlines still move jobs on. */
  lanePaused?: (lane: string) => boolean;
  /**
   * The lanes this engine claims from (default all): a worker beside the desk takes the generate
   * lanes, say. Every lane is still known, so late jobs move down the chain whoever claims the next lane.
   */
  claimLanes?: readonly string[];
}

type AbortReason = 'deadline' | 'shutdown' | 'lease_lost';

interface PendingSettle {
  job: JobRow;
  lane: LaneConfig;
  outcome: JobOutcome;
  aborted: AbortReason | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** While every tick fails (the database away), how often that is logged again. */
const TICK_FAILURE_LOG_MS = 60_000;

/** Wait before retrying a job the machine failed (a full disk). */
const MACHINE_RETRY_MS = 5_000;

export class QueueEngine {
  private readonly store: Store;
  private readonly lanes: Map<string, LaneConfig>;
  private readonly handlers: Partial<Record<JobKind, JobHandler>>;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly paused: () => boolean;
  private readonly lanePaused: (lane: string) => boolean;
  private readonly claimLanes: ReadonlySet<string>;
  readonly owner: string;
  private readonly running = new Map<number, { lane: string; controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private ticking = false;
  /** When ticks started failing (null: they work), and when that was last logged. */
  private failingSince: number | null = null;
  private failureLoggedAt = 0;
  private tickAgain = false;
  private wakeScheduled = false;
  /** Runs that ended and wait for the next settle commit (settleWithOthers). */
  private readonly settling: PendingSettle[] = [];

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.lanes = new Map(options.lanes.map((lane) => [lane.name, lane]));
    this.handlers = options.handlers;
    this.log = options.logger.child({ module: 'queue' });
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
    this.paused = options.paused ?? (() => false);
    this.lanePaused = options.lanePaused ?? (() => false);
    this.claimLanes = new Set(options.claimLanes ?? options.lanes.map((lane) => lane.name));
    const unknown = [...this.claimLanes].filter((name) => !this.lanes.has(name));
    if (unknown.length > 0)
      throw new Error(`claimLanes names ${unknown.join(', ')}: not among the lanes ${[...this.lanes.keys()].join(', ')}`);
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
        for (const lane of this.lanes.values()) if (this.claimLanes.has(lane.name) && !this.lanePaused(lane.name)) this.fillLane(lane);
      }
      if (this.failingSince !== null) {
        this.log.info({ failedForMs: Date.now() - this.failingSince }, 'queue ticks work again');
        this.failingSince = null;
      }
    } catch (error) {
      // once when it starts failing, then once a minute: a database restart must not flood the log
      const now = Date.now();
      if (this.failingSince === null || now - this.failureLoggedAt >= TICK_FAILURE_LOG_MS) {
        this.log.error({ err: error, failingForMs: this.failingSince === null ? 0 : now - this.failingSince }, 'queue tick failed');
        this.failureLoggedAt = now;
      }
      this.failingSince ??= now;
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
    if (lane === undefined) return this.running.size;
    let count = 0;
    for (const run of this.running.values()) if (run.lane === lane) count++;
    return count;
  }

  private handler(kind: JobKind): JobHandler {
    const handler = this.handlers[kind];
    if (!handler) throw new Error(`no handler for ${kind} jobs`);
    return handler;
  }

  private demoteOverdue(): void {
    for (const lane of this.lanes.values()) {
      for (const job of overdueQueuedJobs(this.store, lane.name)) {
        const reason = 'deadline passed while queued';
        this.store.transaction(() => this.upgradeInstead(job, lane, null, reason) || this.moveDown(job, lane, reason));
      }
    }
  }

  /**
   * At a deadline, when the handler wants it: the job becomes its lane's upgrade job (no deadline,
   * background priority; a running call goes on) and a fallback job takes the story to the next
   * lane. At most one upgrade per story: a fallback that misses its own deadline simply drops.
   */
  private upgradeInstead(job: JobRow, lane: LaneConfig, owner: string | null, reason: string): boolean {
    const next = lane.next ? this.lanes.get(lane.next) : undefined;
    const handler = this.handler(job.kind);
    if (!next || job.kind !== 'generate' || !this.handlers.upgrade || !handler.upgradeAtDeadline?.(job, lane)) return false;
    if (openJob(this.store, job.article_id, 'upgrade')) return false;
    if (!convertToUpgrade(this.store, job, owner, UPGRADE_PRIORITY)) return false;
    enqueueJob(this.store, {
      kind: 'generate',
      lane: next.name,
      articleId: job.article_id,
      priority: job.priority,
      deadlineAt: laneDeadline(next, this.store.now()),
      maxAttempts: next.maxAttempts,
    });
    handler.onUpgrade?.(job, next.name, reason);
    this.log.info({ jobId: job.id, lane: lane.name, fallback: next.name }, 'deadline passed: upgrade goes on in the background');
    return true;
  }

  /** Claims every free slot of the lane in one transaction (one commit, however many slots). */
  private fillLane(lane: LaneConfig): void {
    const free = lane.concurrency - this.runningCount(lane.name);
    if (free <= 0 || this.stopping) return;
    for (const job of claimJobs(this.store, lane.name, this.owner, this.leaseMs, free, lane.concurrency)) this.launch(job, lane);
  }

  /**
   * A finished job frees its slot: look for work once the jobs finishing in this turn of the event
   * loop have all settled, so their slots are filled by one claim rather than one commit each.
   */
  private wakeSoon(): void {
    if (this.wakeScheduled || this.stopping) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wake();
    });
  }

  private launch(job: JobRow, lane: LaneConfig): void {
    const controller = new AbortController();
    const done = this.execute(job, lane, controller).finally(() => {
      this.running.delete(job.id);
      this.wakeSoon();
    });
    this.running.set(job.id, { lane: lane.name, controller, done });
  }

  private async execute(job: JobRow, lane: LaneConfig, controller: AbortController): Promise<void> {
    const { signal } = controller;
    const heartbeat = setInterval(
      () => {
        try {
          if (!renewLease(this.store, job.id, this.owner, this.leaseMs)) controller.abort('lease_lost' satisfies AbortReason);
        } catch (error) {
          // the database refused the renewal (disk full): the run goes on, the settle guard decides
          this.log.warn({ err: error, jobId: job.id }, 'could not renew the lease');
        }
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    // the job as it is now: a deadline may turn it into an upgrade while it runs
    let current = job;
    const untilDeadline = job.deadline_at === null ? null : Math.max(0, job.deadline_at - this.store.now());
    const onDeadline = () => {
      const reason = `deadline of lane ${lane.name} passed`;
      let upgraded = false;
      try {
        upgraded = this.store.transaction(() => this.upgradeInstead(current, lane, this.owner, reason));
      } catch (error) {
        this.log.warn({ err: error, jobId: job.id }, 'could not turn the late job into an upgrade');
      }
      if (upgraded) {
        current = { ...current, kind: 'upgrade', deadline_at: null, priority: UPGRADE_PRIORITY };
        this.wake(); // the fallback job waits on the next lane
      } else controller.abort('deadline' satisfies AbortReason);
    };
    const deadline = untilDeadline === null ? null : setTimeout(onDeadline, untilDeadline);
    const context: JobContext = {
      get job() {
        return current;
      },
      lane,
      signal,
      upgrading: () => current.kind === 'upgrade',
      step: (work) => this.step(job, work),
    };
    let outcome: JobOutcome;
    try {
      outcome = await this.handler(job.kind).run(context);
    } catch (error) {
      outcome = classifyFailure(error);
    } finally {
      if (deadline) clearTimeout(deadline);
    }
    try {
      // a full disk refuses the settle too, and so does a database that is restarting: keep the
      // outcome (and the lease) until it can be written
      for (;;) {
        try {
          await this.settleWithOthers(current, lane, outcome, signal.aborted ? (signal.reason as AbortReason) : null);
          break;
        } catch (error) {
          if (!(isDiskFull(error) || isStoreUnreachable(error)) || this.stopping) throw error;
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

  /**
   * Settles the job in one commit with every other job whose run ended in this turn of the event
   * loop (each in its own savepoint: a lost lease or a failing effect undoes only that job's
   * writes). Resolves once the commit is on disk, so nothing acts on an outcome before it is durable.
   */
  private settleWithOthers(job: JobRow, lane: LaneConfig, outcome: JobOutcome, aborted: AbortReason | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settling.push({ job, lane, outcome, aborted, resolve, reject });
      if (this.settling.length === 1) queueMicrotask(() => this.settleBatch());
    });
  }

  private settleBatch(): void {
    const batch = this.settling.splice(0);
    const failures = new Map<PendingSettle, unknown>();
    try {
      this.store.transaction(() => {
        for (const item of batch) {
          const settleItem = () => this.settle(item.job, item.lane, item.outcome, item.aborted);
          try {
            // alone in its commit, the transaction itself undoes a failed settle
            if (batch.length === 1) settleItem();
            else this.store.savepoint(settleItem);
          } catch (error) {
            // alone, the whole transaction is its to undo; SQLite may also have dropped the
            // transaction by itself (a full disk), and then nothing in it stands
            if (batch.length === 1 || this.store.db.transactionLost) throw error;
            failures.set(item, error);
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      if (failures.has(item)) item.reject(failures.get(item));
      else item.resolve();
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
    const handler = this.handler(job.kind);
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
        const backoff = outcome.machine
          ? Math.min(lane.backoffCapMs, MACHINE_RETRY_MS)
          : fullJitterDelay(job.attempts, lane.backoffBaseMs, lane.backoffCapMs);
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
    const handler = this.handler(job.kind);
    const next = lane.next && !handler.keepsLane ? this.lanes.get(lane.next) : undefined;
    if (!next) {
      settleJob(this.store, job, this.owner, { status: 'failed', error: reason });
      handler.onFailed?.(job, reason);
      return;
    }
    const deadlineAt = laneDeadline(next, this.store.now());
    requeueJob(this.store, job, this.owner, { lane: next.name, runAfter: this.store.now(), deadlineAt, attempts: 'reset', error: reason });
    handler.onRequeue?.(job, next.name, reason);
  }

  private moveDown(job: JobRow, lane: LaneConfig, reason: string): boolean {
    const next = lane.next ? this.lanes.get(lane.next) : undefined;
    if (!next) return false;
    if (moveQueuedJob(this.store, job, next.name, laneDeadline(next, this.store.now()))) {
      this.handler(job.kind).onRequeue?.(job, next.name, reason);
      return true;
    }
    return false;
  }
}
