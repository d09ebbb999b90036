// A queue worker over the asynchronous JobQueueBackend (PostgreSQL today): claims up to its free slots
// per lane, renews the leases of what it runs, settles each run under its lease, and wakes on the
// backend's notifications instead of waiting for its next poll. Several of these, in one process or on
// several machines, share the lanes' concurrency through the backend.
// It is the claim/heartbeat/settle core of queue/engine.ts only: deadlines, upgrades and moving a job
// down a lane still live in the engine on the synchronous SQLite store (ARCHITECTURE.md, "Past one machine").
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobQueueBackend, JobRow, Settlement } from '../store/job-queue-backend.ts';
import { LeaseLostError } from '../store/job-queue-backend.ts';
import { fullJitterDelay } from './backoff.ts';

export type BackendOutcome<Tx> =
  { type: 'done'; effect?: (tx: Tx) => Promise<void> } | { type: 'retry'; error: string } | { type: 'fail'; error: string };

export interface BackendLane {
  name: string;
  /** Live leases allowed in this lane across every worker. */
  concurrency: number;
  /** Jobs this worker runs at once in this lane (at most `concurrency`). */
  slots: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export interface BackendWorkerOptions<Tx> {
  backend: JobQueueBackend<Tx>;
  lanes: BackendLane[];
  run(job: JobRow, signal: AbortSignal): Promise<BackendOutcome<Tx>>;
  leaseMs?: number;
  /** The fallback when a notification is missed (a dropped listening connection, a slot freed elsewhere). */
  pollMs?: number;
  owner?: string;
  /** Errors the loop survives (a claim the database refused); the next tick tries again. */
  onError?: (error: unknown) => void;
}

export class BackendWorker<Tx> {
  readonly owner: string;
  private readonly options: BackendWorkerOptions<Tx>;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly running = new Map<number, { lane: string; controller: AbortController; done: Promise<void> }>();
  private readonly wanted = new Set<string>();
  private readonly freed = new Set<string>();
  private listener: { close(): Promise<void> } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopping = false;
  /** Runs that ended and wait for the next settle commit. */
  private readonly settling: { settlement: Settlement<Tx>; resolve: (error: unknown) => void }[] = [];

  constructor(options: BackendWorkerOptions<Tx>) {
    this.options = options;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.listener = await this.options.backend.onWork((lane) => this.wake(lane));
    this.wake();
  }

  /** Look for work now: in one lane (a notification named it) or in all. */
  wake(lane?: string): void {
    if (this.stopping) return;
    for (const name of lane ? [lane] : this.options.lanes.map((l) => l.name)) this.wanted.add(name);
    if (this.ticking) return; // the running tick loops again for what was just asked
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
    });
  }

  runningCount(lane?: string): number {
    return [...this.running.values()].filter((run) => lane === undefined || run.lane === lane).length;
  }

  /** Stops claiming, aborts what runs (back to the queue with the attempt refunded) and waits. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const run of this.running.values()) run.controller.abort('shutdown');
    await this.ticking;
    await Promise.allSettled([...this.running.values()].map((run) => run.done));
    await this.listener?.close();
    this.listener = null;
  }

  private async tick(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    while (this.wanted.size > 0 && !this.stopping) {
      const lanes = this.options.lanes.filter((lane) => this.wanted.has(lane.name));
      this.wanted.clear();
      for (const lane of lanes) {
        const free = lane.slots - this.runningCount(lane.name);
        if (free <= 0) continue;
        try {
          const jobs = await this.options.backend.claim(lane.name, this.owner, this.leaseMs, free, lane.concurrency);
          for (const job of jobs) this.launch(job, lane);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    }
    if (!this.stopping) this.timer = setTimeout(() => this.wake(), this.pollMs);
  }

  /**
   * A finished run frees its slot: look again once every run settled by the same commit has left, so
   * their slots are filled by one claim rather than one each (small claims would make small settles).
   */
  private wakeSoon(lane: string): void {
    const scheduled = this.freed.size > 0;
    this.freed.add(lane);
    if (scheduled) return;
    setImmediate(() => {
      const lanes = [...this.freed];
      this.freed.clear();
      for (const name of lanes) this.wake(name);
    });
  }

  private launch(job: JobRow, lane: BackendLane): void {
    const controller = new AbortController();
    const done = this.execute(job, lane, controller)
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.running.delete(job.id);
        this.wakeSoon(lane.name);
      });
    this.running.set(job.id, { lane: lane.name, controller, done });
  }

  private async execute(job: JobRow, lane: BackendLane, controller: AbortController): Promise<void> {
    const { backend } = this.options;
    const heartbeat = setInterval(
      () => {
        backend.renewLease(job.id, this.owner, this.leaseMs).then(
          (held) => held || controller.abort('lease_lost'),
          (error) => this.options.onError?.(error), // the settle's guard decides
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    let outcome: BackendOutcome<Tx>;
    try {
      outcome = await this.options.run(job, controller.signal);
    } catch (error) {
      outcome = { type: 'retry', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearInterval(heartbeat);
    }
    if (controller.signal.reason === 'lease_lost') return;
    const base = { job, owner: this.owner };
    let settlement: Settlement<Tx>;
    if (controller.signal.reason === 'shutdown' && outcome.type !== 'done') {
      settlement = { ...base, requeue: { lane: lane.name, runAfter: 0, deadlineAt: job.deadline_at, attempts: 'refund', error: null } };
    } else if (outcome.type === 'done') {
      settlement = { ...base, settle: { status: 'done' }, effect: outcome.effect };
    } else if (outcome.type === 'retry' && job.attempts < job.max_attempts) {
      const runAfter = Date.now() + fullJitterDelay(job.attempts, lane.backoffBaseMs, lane.backoffCapMs);
      settlement = { ...base, requeue: { lane: lane.name, runAfter, deadlineAt: job.deadline_at, attempts: 'keep', error: outcome.error } };
    } else {
      settlement = { ...base, settle: { status: 'failed', error: outcome.error } };
    }
    const error = await this.settleWithOthers(settlement);
    // a lost lease: another worker owns the job now, its settle counts and ours must not
    if (error !== undefined && !(error instanceof LeaseLostError))
      throw error instanceof Error ? error : new Error('could not settle the job', { cause: error });
  }

  /**
   * Settles with every run that ended in this turn of the event loop, in one commit (as the engine's
   * settleWithOthers on SQLite); resolves with this job's error, if any, once the commit is durable.
   */
  private settleWithOthers(settlement: Settlement<Tx>): Promise<unknown> {
    return new Promise((resolve) => {
      this.settling.push({ settlement, resolve });
      if (this.settling.length > 1) return;
      setImmediate(() => {
        const batch = this.settling.splice(0);
        this.options.backend.settleAll(batch.map((item) => item.settlement)).then(
          (results) => batch.forEach((item, i) => item.resolve(results[i])),
          (error: unknown) => batch.forEach((item) => item.resolve(error)),
        );
      });
    });
  }
}
