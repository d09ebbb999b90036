// Store = the database plus change tracking. Every mutation happens inside `transaction`,
// appends to the event log, and marks the articles it touched; after COMMIT the store tells
// its listeners which articles changed (and at which event seq), so the board is driven by
// events and never by polling.
import type { Problem } from '../../../shared/domain.ts';
import { Db } from './database.ts';
import type { SqlDb } from './sql-db.ts';
import { storable, storableDetail } from './redact.ts';
import { asDesk, currentActor } from './actor-context.ts';
import { OtherWriters } from './other-writers.ts';

export interface ChangeSet {
  /** Highest event-log seq written by the transaction. */
  seq: number;
  articleIds: string[];
  notices: Notice[];
  /** Problems that opened, changed or cleared in the transaction (the board gets the new list). */
  problems: ProblemChange[];
  /** Problems opened, changed or cleared (the board gets the new list); `problems` says which, when known. */
  problemsChanged: boolean;
  /** A lane was paused or resumed (the board gets the queue's state). */
  queueChanged: boolean;
  /** Committed by another process on the same file (other-writers.ts); absent for this process's own. */
  elsewhere?: true;
}

export interface ProblemChange {
  change: 'opened' | 'updated' | 'resolved';
  problem: Problem;
}

export interface Notice {
  seq: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  articleId: string | null;
}

type ChangeListener = (changes: ChangeSet) => void;
/** Runs inside the transaction, just before COMMIT, with the articles it touched (outbox writers). */
type CommitHook = (articleIds: ReadonlySet<string>) => void;

export class Store {
  readonly db: SqlDb;
  readonly now: () => number;
  private pending: {
    first: number;
    seq: number;
    articleIds: Set<string>;
    notices: Notice[];
    problems: ProblemChange[];
    queueChanged: boolean;
  } | null = null;
  private otherWriters: OtherWriters | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<ChangeListener>();
  private readonly commitHooks = new Set<CommitHook>();

  /** A path opens (or creates) a SQLite file; an opened database (postgres/sync-db.ts) is used as it is. */
  constructor(database: string | SqlDb, now: () => number = Date.now) {
    this.db = typeof database === 'string' ? new Db(database) : database;
    this.now = now;
  }

  transaction<T>(work: () => T): T {
    if (this.pending) return this.db.transaction(work);
    this.pending = { first: 0, seq: 0, articleIds: new Set(), notices: [], problems: [], queueChanged: false };
    let committed: ChangeSet | null = null;
    try {
      const pending = this.pending;
      const result = this.db.transaction(() => {
        const value = work();
        if (pending.articleIds.size > 0) for (const hook of this.commitHooks) hook(pending.articleIds);
        return value;
      });
      const { first, seq, articleIds, notices, problems, queueChanged } = pending;
      if (seq > 0) this.otherWriters?.committed(first, seq);
      committed = { seq, articleIds: [...articleIds], notices, problems, problemsChanged: problems.length > 0, queueChanged };
      return result;
    } finally {
      this.pending = null;
      if (committed && committed.seq > 0) this.emit(committed);
    }
  }

  /**
   * Inside `transaction`: `work` either takes effect with the transaction or, if it throws, not at
   * all, while the rest of the transaction goes on (its events and notices are forgotten too).
   */
  savepoint<T>(work: () => T): T {
    const pending = this.requirePending();
    const before = {
      seq: pending.seq,
      articleIds: new Set(pending.articleIds),
      notices: pending.notices.length,
      problems: pending.problems.length,
      queueChanged: pending.queueChanged,
    };
    try {
      return this.db.savepoint(work);
    } catch (error) {
      pending.seq = before.seq;
      pending.articleIds = before.articleIds;
      pending.notices.length = before.notices;
      pending.problems.length = before.problems;
      pending.queueChanged = before.queueChanged;
      throw error;
    }
  }

  /** Appends to the event log; must run inside `transaction`. Returns the event's seq. */
  logEvent(type: string, articleId: string | null, detail: Record<string, unknown> = {}): number {
    const pending = this.requirePending();
    const { lastInsertRowid } = this.db.run(
      'INSERT INTO events (at, type, article_id, detail, actor) VALUES (?, ?, ?, ?, ?)',
      this.now(),
      type,
      articleId,
      JSON.stringify(storableDetail(detail)),
      currentActor(),
    );
    pending.seq = Math.max(pending.seq, lastInsertRowid);
    if (pending.first === 0) pending.first = lastInsertRowid;
    if (articleId) pending.articleIds.add(articleId);
    return lastInsertRowid;
  }

  /** A message for the editors (shown as a toast), kept in the event log. */
  notice(level: Notice['level'], text: string, articleId: string | null = null): void {
    const message = storable(text);
    const write = () => {
      const seq = this.logEvent('notice', articleId, { level, message });
      this.requirePending().notices.push({ seq, level, message, articleId });
    };
    if (this.pending) write();
    else this.transaction(write);
  }

  /** True inside `transaction` (a failure there belongs to the caller's transaction). */
  get inTransaction(): boolean {
    return this.pending !== null;
  }

  /**
   * Tells listeners about problem changes that could not be written (the disk is full): the
   * board still hears at once; store/problems.ts writes them once the database takes writes.
   */
  announce(problems: ProblemChange[]): void {
    this.emit({ seq: this.lastSeq(), articleIds: [], notices: [], problems, problemsChanged: true, queueChanged: false });
  }

  /** Records a problem change for the listeners; called by store/problems.ts inside a transaction. */
  problemChanged(change: ProblemChange): void {
    this.requirePending().problems.push(change);
  }

  /** Records that a lane was paused or resumed; called by store/queue-state.ts inside a transaction. */
  queueChanged(): void {
    this.requirePending().queueChanged = true;
  }

  lastSeq(): number {
    return Number(this.db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events')?.seq ?? 0);
  }

  /** Lets an outbox record what changed in the same transaction as the change itself. */
  beforeCommit(hook: CommitHook): () => void {
    this.commitHooks.add(hook);
    return () => this.commitHooks.delete(hook);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the listeners about commits other processes make on this file too (a `hero-desk worker`
   * beside the desk), looking every `intervalMs`: one `PRAGMA data_version` read when nothing changed.
   */
  followOtherProcesses(intervalMs = 100): void {
    if (this.followTimer) return;
    this.otherWriters = new OtherWriters(this.db);
    this.followTimer = setInterval(() => {
      let changes;
      try {
        changes = this.otherWriters?.poll();
      } catch {
        return; // a busy database: the next tick reads the same rows again
      }
      if (changes) this.emit(changes);
    }, intervalMs);
    this.followTimer.unref();
  }

  close(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = null;
    this.otherWriters = null;
    this.db.close();
  }

  private requirePending() {
    if (!this.pending) throw new Error('store mutation outside a transaction');
    return this.pending;
  }

  private emit(changes: ChangeSet): void {
    // what listeners do about a commit (outboxes, workers) is the desk's work, not the command's author
    asDesk(() => {
      for (const listener of this.listeners) listener(changes);
    });
  }
}
