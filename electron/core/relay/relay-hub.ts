// The relay's ordering rules over its durable store: a monotonic seq, idempotency-key dedupe, the
// newest message per article, and what a (re)connecting reader is owed. No sockets here, so the
// rules are easy to read and reason about.
import type { PublicationMessage } from '../../../shared/publication.ts';
import type { ArticleFrame, HelloFrame } from './relay-messages.ts';
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
  accept(message: PublicationMessage): AcceptResult;
  /** What a reader connecting with since= (and the epoch it last saw) should receive. */
  replay(since: number, epoch: string | null): ReplayPlan;
  close(): void;
}

export interface RelayHubOptions {
  /** SQLite file, or ':memory:' for a relay that forgets on restart. */
  dataFile: string;
  /** Articles kept for readers (the newest message of each). */
  historyLimit: number;
  dedupeLimit?: number;
}

export function createRelayHub(options: RelayHubOptions): RelayHub {
  const store = openRelayStore(options.dataFile, {
    articleLimit: options.historyLimit,
    keyLimit: options.dedupeLimit ?? Math.max(10_000, options.historyLimit * 10),
  });
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
