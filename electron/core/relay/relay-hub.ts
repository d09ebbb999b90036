// The relay's memory: a monotonic seq, a bounded history for catch-up, and idempotency-key dedupe.
// No sockets here, so the ordering rules are easy to read and reason about.
import { randomUUID } from 'node:crypto';
import type { PublicationMessage } from '../adapters/types.ts';
import type { ArticleFrame, HelloFrame } from './relay-messages.ts';

export interface HistoryEntry {
  seq: number;
  message: PublicationMessage;
  /** Serialized once, sent to every reader as is. */
  frame: string;
}

export interface AcceptResult {
  seq: number;
  duplicate: boolean;
  entry: HistoryEntry | null;
}

export interface ReplayPlan {
  hello: HelloFrame;
  entries: HistoryEntry[];
}

export interface RelayHub {
  readonly epoch: string;
  readonly seq: number;
  readonly historySize: number;
  accept(message: PublicationMessage): AcceptResult;
  /** What a reader connecting with since= (and the epoch it last saw) should receive. */
  replay(since: number, epoch: string | null): ReplayPlan;
}

export function createRelayHub(options: { historyLimit: number; dedupeLimit?: number }): RelayHub {
  const epoch = randomUUID().slice(0, 8);
  const dedupeLimit = options.dedupeLimit ?? Math.max(10_000, options.historyLimit * 10);
  const history: HistoryEntry[] = [];
  const seen = new Map<string, number>(); // idempotencyKey → seq, oldest first
  let seq = 0;

  return {
    epoch,
    get seq() {
      return seq;
    },
    get historySize() {
      return history.length;
    },
    accept(message) {
      const earlier = seen.get(message.idempotencyKey);
      if (earlier !== undefined) return { seq: earlier, duplicate: true, entry: null };
      seq += 1;
      seen.set(message.idempotencyKey, seq);
      if (seen.size > dedupeLimit) {
        const oldest = seen.keys().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
      const frame: ArticleFrame = { type: 'article', seq, message };
      const entry = { seq, message, frame: JSON.stringify(frame) };
      history.push(entry);
      if (history.length > options.historyLimit) history.shift();
      return { seq, duplicate: false, entry };
    },
    replay(requestedSince, readerEpoch) {
      // A since= from another epoch (relay restarted) or from the future is meaningless: start over.
      const since = (readerEpoch !== null && readerEpoch !== epoch) || requestedSince > seq ? 0 : requestedSince;
      const oldestSeq = history[0]?.seq ?? seq + 1;
      // The reader had a position but cannot get everything after it (trimmed history or a restart).
      const gap = requestedSince > 0 && (since !== requestedSince || since < oldestSeq - 1);
      // Only the newest message per article: a reader needs the current state, not every step to it.
      const latest = new Map<string, HistoryEntry>();
      for (const entry of history) {
        if (entry.seq <= since) continue;
        const held = latest.get(entry.message.articleId);
        if (held === undefined || entry.message.version >= held.message.version) latest.set(entry.message.articleId, entry);
      }
      const entries = [...latest.values()].sort((a, b) => a.seq - b.seq);
      return { hello: { type: 'hello', epoch, seq, oldestSeq, gap }, entries };
    },
  };
}
