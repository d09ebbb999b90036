// The relay's durable memory, in one SQLite file (WAL): the epoch, the stream position, the newest
// message per article (what a reader needs to be current) and the idempotency keys already
// accepted. Every accept is one transaction, committed before the publisher hears "ok" and before
// any reader sees the frame, so a crash can neither lose an acknowledged message nor let a retry
// of it through twice. ':memory:' gives the same rules without a file (tests, benchmarks).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { errorMessage } from '../base/failures.ts';

const SCHEMA_VERSION = 1;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
-- one row per article: its newest message (highest version), as the frame readers receive
CREATE TABLE IF NOT EXISTS articles (
  article_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  frame TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE) STRICT;
`;

export interface StoredMessage {
  articleId: string;
  version: number;
  kind: 'publish' | 'retract';
  idempotencyKey: string;
}

export interface AppendResult {
  seq: number;
  duplicate: boolean;
}

export interface RelayStoreLimits {
  /** Articles kept (their newest message each); the least recently changed go first. */
  articleLimit: number;
  /** Idempotency keys remembered; the oldest go first. */
  keyLimit: number;
}

export interface RelayStore {
  readonly epoch: string;
  readonly seq: number;
  /** Every change with a seq at or below this may have been dropped by the article limit. */
  readonly trimmedThrough: number;
  readonly articleCount: number;
  /** Commits the message (unless its key was seen) with the next seq; `frameFor` builds its frame. */
  append(message: StoredMessage, frameFor: (seq: number) => string): AppendResult;
  /** Frames of articles changed after `since`, in seq order; retractions only when asked. */
  framesAfter(since: number, includeRetracts: boolean): string[];
  close(): void;
}

export class RelayStoreError extends Error {}

function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 1000');
    // One relay per file: the first write takes a lock held until close, so a second relay
    // process on the same file fails at start instead of interleaving its positions.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // WAL + NORMAL: a commit survives a crash of the process (a power cut may lose the last ones).
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('BEGIN IMMEDIATE');
    db.exec(SCHEMA);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (/locked|busy/i.test(errorMessage(error))) {
      throw new RelayStoreError(`relay data file ${path} is in use by another relay; stop it or give this one its own file (--data-file)`);
    }
    throw new RelayStoreError(`relay data file ${path} cannot be opened: ${errorMessage(error)}`, { cause: error });
  }
  const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new RelayStoreError(`relay data file ${path} was written by a newer Hero Desk (schema ${version}); upgrade this one`);
  }
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  return db;
}

export function openRelayStore(path: string, limits: RelayStoreLimits): RelayStore {
  const db = openDatabase(path);
  const sql = (text: string): StatementSync => db.prepare(text);
  const readMeta = sql('SELECT value FROM meta WHERE key = ?');
  const writeMeta = sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const meta = (key: string): string | undefined => (readMeta.get(key) as { value: string } | undefined)?.value;

  let epoch = meta('epoch');
  if (epoch === undefined) {
    // a new file is a new stream: readers' old positions mean nothing here
    epoch = randomUUID().slice(0, 8);
    writeMeta.run('epoch', epoch);
  }
  let seq = Number(meta('seq') ?? 0);
  let trimmedThrough = Number(meta('trimmedThrough') ?? 0);
  const countRows = (table: string): number => Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  let articleCount = countRows('articles');
  let keyCount = countRows('idempotency_keys');

  const findKey = sql('SELECT seq FROM idempotency_keys WHERE key = ?');
  const insertKey = sql('INSERT INTO idempotency_keys (key, seq) VALUES (?, ?)');
  const dropOldestKey = sql('DELETE FROM idempotency_keys WHERE seq = (SELECT min(seq) FROM idempotency_keys)');
  const heldVersion = sql('SELECT version FROM articles WHERE article_id = ?');
  const insertArticle = sql('INSERT INTO articles (article_id, seq, version, kind, frame) VALUES (?, ?, ?, ?, ?)');
  const replaceArticle = sql('UPDATE articles SET seq = ?, version = ?, kind = ?, frame = ? WHERE article_id = ?');
  const dropOldestArticle = sql('DELETE FROM articles WHERE seq = (SELECT min(seq) FROM articles) RETURNING seq');
  const changedAfter = sql('SELECT frame FROM articles WHERE seq > ? ORDER BY seq');
  const publishedAfter = sql("SELECT frame FROM articles WHERE seq > ? AND kind = 'publish' ORDER BY seq");

  // What every new page asks for (since=0): kept until the next accept changes it.
  let currentSet: string[] | null = null;

  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };

  return {
    epoch,
    get seq() {
      return seq;
    },
    get trimmedThrough() {
      return trimmedThrough;
    },
    get articleCount() {
      return articleCount;
    },
    append(message, frameFor) {
      const earlier = findKey.get(message.idempotencyKey) as { seq: number } | undefined;
      if (earlier !== undefined) return { seq: Number(earlier.seq), duplicate: true };
      const next = seq + 1;
      const counts = { articles: articleCount, keys: keyCount, trimmed: trimmedThrough };
      transaction(() => {
        insertKey.run(message.idempotencyKey, next);
        counts.keys += 1;
        if (counts.keys > limits.keyLimit) {
          dropOldestKey.run();
          counts.keys -= 1;
        }
        const held = heldVersion.get(message.articleId) as { version: number } | undefined;
        const frame = frameFor(next);
        if (held === undefined) {
          insertArticle.run(message.articleId, next, message.version, message.kind, frame);
          counts.articles += 1;
          if (counts.articles > limits.articleLimit) {
            const dropped = dropOldestArticle.get() as { seq: number } | undefined;
            counts.articles -= 1;
            if (dropped) counts.trimmed = Math.max(counts.trimmed, Number(dropped.seq));
            writeMeta.run('trimmedThrough', String(counts.trimmed));
          }
        } else if (message.version >= Number(held.version)) {
          replaceArticle.run(next, message.version, message.kind, frame, message.articleId);
        } // else: an older version arriving late is passed on live but is not the article's state
        writeMeta.run('seq', String(next));
      });
      // only now, after COMMIT, does memory move on
      seq = next;
      articleCount = counts.articles;
      keyCount = counts.keys;
      trimmedThrough = counts.trimmed;
      currentSet = null;
      return { seq: next, duplicate: false };
    },
    framesAfter(since, includeRetracts) {
      if (since === 0 && !includeRetracts) {
        currentSet ??= (publishedAfter.all(0) as { frame: string }[]).map((row) => row.frame);
        return currentSet;
      }
      const statement = includeRetracts ? changedAfter : publishedAfter;
      return (statement.all(since) as { frame: string }[]).map((row) => row.frame);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
