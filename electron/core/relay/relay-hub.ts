// The relay's ordering rules over its durable store: a monotonic seq, idempotency-key dedupe, the
// newest message per article, and what a (re)connecting reader is owed. No sockets here, so the
// rules are easy to read and reason about.
import type { PublicationMessage } from '../../../shared/publication.ts';
import type { ArticleFrame, HelloFrame } from './relay-messages.ts';
import type { RelayLogger } from './relay-readers.ts';
import { openRelayStore } from './relay-store.ts';

export interface AcceptResult {
  seq: number;
  duplicate: boolean;
  /** The frame to broadcast; null for a duplicate (readers already had their chance at it). */
  frame: string | null;
}

export interface ReplayPlan {
  hello: HelloFrame;
  /** Serialized frames, sent as they are. */
  frames: string[];
}

export interface RelayHub {
  readonly epoch: string;
  readonly seq: number;
  readonly historySize: number;
  /** Synchronous on SQLite; a promise on PostgreSQL (committed when it resolves). */
  accept(message: PublicationMessage): AcceptResult | Promise<AcceptResult>;
  /** What a reader connecting with since= (and the epoch it last saw) should receive. */
  replay(since: number, epoch: string | null): ReplayPlan;
  /** Frames to broadcast that accept() does not return: a shared history's, in seq order, whichever instance accepted them. */
  subscribe?(listener: (frame: string) => void): void;
  close(): void | Promise<void>;
}

/** Where the history lives when it is not this process's SQLite file: PostgreSQL, shared by several relay instances. */
export interface RelayHistoryConfig {
  type: 'postgres';
  /** postgres://…, from an environment variable or secret; never logged. */
  url: string;
  /** Schema holding the relay_* tables (default hero_desk); instances of one stream share it. */
  schema?: string;
  /** How often an instance checks the table for anything a lost notification hid (ms, default 5000). */
  pollMs?: number;
}

/** Checked by hand (the relay process carries no zod); the url is never echoed in the error. */
export function checkHistoryConfig(value: unknown): RelayHistoryConfig | undefined {
  if (value === undefined) return undefined;
  const history: Partial<Record<keyof RelayHistoryConfig, unknown>> = typeof value === 'object' && value !== null ? value : {};
  if (history.type !== 'postgres') {
    throw new Error('relay history: type must be "postgres" (leave history out for the SQLite data file)');
  }
  if (typeof history.url !== 'string' || !/^postgres(ql)?:\/\//.test(history.url)) {
    throw new Error('relay history: url must be a postgres:// or postgresql:// URL');
  }
  if (history.schema !== undefined && (typeof history.schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(history.schema))) {
    throw new Error('relay history: schema must be lower-case letters, digits and _');
  }
  if (history.pollMs !== undefined && (typeof history.pollMs !== 'number' || !Number.isInteger(history.pollMs) || history.pollMs < 10)) {
    throw new Error('relay history: pollMs must be an integer of at least 10');
  }
  return { type: 'postgres', url: history.url, schema: history.schema, pollMs: history.pollMs };
}

/** The SQLite hub by default; the PostgreSQL one when a shared history is configured. */
export async function openRelayHub(options: RelayHubOptions & { history?: RelayHistoryConfig; logger: RelayLogger }): Promise<RelayHub> {
  if (options.history === undefined) return createRelayHub(options);
  // loaded only here: a relay on SQLite does not carry pg in memory
  const { createPostgresRelayHub } = await import('./relay-hub-postgres.ts');
  return createPostgresRelayHub({
    url: options.history.url,
    schema: options.history.schema,
    pollMs: options.history.pollMs,
    limits: relayLimits(options),
    logger: options.logger,
  });
}

const relayLimits = (options: RelayHubOptions) => ({
  articleLimit: options.historyLimit,
  keyLimit: options.dedupeLimit ?? Math.max(10_000, options.historyLimit * 10),
});

export interface RelayHubOptions {
  /** SQLite file, or ':memory:' for a relay that forgets on restart. */
  dataFile: string;
  /** Articles kept for readers (the newest message of each). */
  historyLimit: number;
  dedupeLimit?: number;
}

export function createRelayHub(options: RelayHubOptions): RelayHub {
  const store = openRelayStore(options.dataFile, relayLimits(options));
  const { epoch } = store;

  return {
    epoch,
    get seq() {
      return store.seq;
    },
    get historySize() {
      return store.articleCount;
    },
    accept(message) {
      let frame: string | null = null;
      const result = store.append(message, (seq) => {
        const article: ArticleFrame = { type: 'article', seq, message };
        frame = JSON.stringify(article);
        return frame;
      });
      return { ...result, frame: result.duplicate ? null : frame };
    },
    replay(requestedSince, readerEpoch) {
      // A since= from another stream (a new data file) or from the future means nothing here: start over.
      const foreign = (readerEpoch !== null && readerEpoch !== epoch) || requestedSince > store.seq;
      const since = foreign ? 0 : requestedSince;
      const oldestSeq = store.trimmedThrough + 1;
      // The reader had a position but cannot be given everything after it.
      const gap = requestedSince > 0 && (since !== requestedSince || since < store.trimmedThrough);
      // A new page gets the current published set; a page that was here before also hears of
      // retractions, so it can drop what it still shows.
      const frames = store.framesAfter(since, requestedSince > 0);
      return { hello: { type: 'hello', epoch, seq: store.seq, oldestSeq, gap }, frames };
    },
    close: () => store.close(),
  };
}
