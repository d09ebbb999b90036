// Commits made by other processes on the same file — the desk's `hero-desk worker`s, a CLI command —
// reach this process's listeners as its own commits do, so a board stays live whoever did the work.
// SQLite's `PRAGMA data_version` moves only when another connection commits (on PostgreSQL a count of
// the LISTEN notifications commits send): one cheap read per tick says whether there is anything to look at. The event log rows written since the last look, less this
// process's own (whose transactions it remembers by their seq range), say what changed.
import type { SqlDb } from './sql-db.ts';
import type { ChangeSet, Notice } from './store.ts';

interface EventRow {
  seq: number;
  type: string;
  article_id: string | null;
  detail: string;
}

/** Events that change what the board's queue panel shows: a pause, a resume, a process joining or leaving. */
const QUEUE_EVENTS = new Set(['queue_paused', 'queue_resumed', 'queue_joined', 'queue_left']);

/** Plenty for one tick; a longer backlog is read on the next one. */
const PAGE = 2_000;

export class OtherWriters {
  private version: number;
  private cursor: number;
  /** Seq ranges of this process's own commits not yet passed by the cursor. */
  private own: [number, number][] = [];

  private readonly db: SqlDb;

  constructor(db: SqlDb) {
    this.db = db;
    this.version = this.dataVersion();
    this.cursor = Number(db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events')?.seq ?? 0);
  }

  /** This process committed events `first`..`last` (one transaction holds the write lock throughout). */
  committed(first: number, last: number): void {
    this.own.push([first, last]);
  }

  /** What other processes committed since the last call, or null when nothing. */
  poll(): ChangeSet | null {
    const version = this.dataVersion();
    if (version === this.version) {
      // nobody else committed: every event past the cursor is our own
      this.passOwn();
      return null;
    }
    const rows = this.db.all<EventRow>(
      'SELECT seq, type, article_id, detail FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
      this.cursor,
      PAGE,
    );
    // a full page may leave more behind: look again next tick even if no one commits meanwhile
    if (rows.length < PAGE) this.version = version;
    const theirs = rows.filter((row) => !this.own.some(([first, last]) => row.seq >= first && row.seq <= last));
    if (rows.length > 0) this.cursor = rows[rows.length - 1]!.seq;
    this.own = this.own.filter(([, last]) => last > this.cursor);
    return theirs.length === 0 ? null : changeSetOf(theirs);
  }

  /**
   * Moves the cursor over this process's own commits that follow it directly. A commit of another
   * process the version does not show yet (a PostgreSQL notification still on its way) leaves a gap
   * before ours, and the cursor waits there until the next read.
   */
  private passOwn(): void {
    this.own.sort(([a], [b]) => a - b);
    while (this.own.length > 0 && this.own[0]![0] <= this.cursor + 1) {
      this.cursor = Math.max(this.cursor, this.own.shift()![1]);
    }
  }

  private dataVersion(): number {
    return this.db.dataVersion();
  }
}

function changeSetOf(rows: EventRow[]): ChangeSet {
  const articleIds = new Set<string>();
  const notices: Notice[] = [];
  let problemsChanged = false;
  let queueChanged = false;
  for (const row of rows) {
    if (row.article_id) articleIds.add(row.article_id);
    if (row.type === 'notice') notices.push(noticeOf(row));
    else if (row.type.startsWith('problem_')) problemsChanged = true;
    else if (QUEUE_EVENTS.has(row.type)) queueChanged = true;
  }
  return {
    seq: rows[rows.length - 1]!.seq,
    articleIds: [...articleIds],
    notices,
    // the process that changed them logs them; here the board only needs the new list
    problems: [],
    problemsChanged,
    queueChanged,
    elsewhere: true,
  };
}

function noticeOf(row: EventRow): Notice {
  const detail = JSON.parse(row.detail) as { level?: Notice['level']; message?: string };
  return { seq: row.seq, level: detail.level ?? 'info', message: detail.message ?? '', articleId: row.article_id };
}
