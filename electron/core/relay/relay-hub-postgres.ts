// The relay hub of one instance among several sharing a history in PostgreSQL. Every instance keeps the
// stream in memory (the newest message per article, as the table holds it) and moves it on only by
// applying the shared log in seq order: after its own accepts, on NOTIFY, after its LISTEN connection
// comes back, and on a slow poll (a lost notification costs a delay, never a message). Readers are
// answered from memory and fed from the same ordered apply, so each gets every seq once, whichever
// instance accepted it.
import type pg from 'pg';
import type { PublicationMessage } from '../../../shared/publication.ts';
import { errorMessage } from '../base/failures.ts';
import { connectPostgres } from '../store/postgres/connection.ts';
import type { RelayLogger } from './relay-readers.ts';
import type { ArticleFrame } from './relay-messages.ts';
import type { RelayHub } from './relay-hub.ts';
import type { RelayStoreLimits } from './relay-store.ts';
import { appendMessage, prepareRelaySchema, readLogAfter, readSnapshot, relayChannel, type LoggedMessage } from './relay-store-postgres.ts';

export interface PostgresHubOptions {
  url: string;
  schema?: string;
  limits: RelayStoreLimits;
  /** Safety net for lost notifications; NOTIFY normally wakes the instance at once. */
  pollMs?: number;
  logger: RelayLogger;
}

const PAGE = 500;
const RECONNECT_MAX_MS = 5000;

export async function createPostgresRelayHub(options: PostgresHubOptions): Promise<RelayHub> {
  const connection = connectPostgres(options.url, { schema: options.schema, max: 5 });
  try {
    await prepareRelaySchema(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const snapshot = await readSnapshot(connection);
  const { epoch } = snapshot;
  let seq = snapshot.seq;
  let trimmedThrough = snapshot.trimmedThrough;
  // Map order is seq order: a changed article is deleted and set again, so it moves to the end
  let articles = new Map(snapshot.articles.map((a) => [a.articleId, a]));
  let currentSet: string[] | null = null;
  const listeners = new Set<(frame: string) => void>();
  const emit = (frame: string): void => listeners.forEach((listener) => listener(frame));

  // the same rules as the table's (relay-store-postgres appendMessage), applied in the same order
  const apply = (entry: LoggedMessage): void => {
    const held = articles.get(entry.articleId);
    if (held === undefined) {
      articles.set(entry.articleId, entry);
      if (articles.size > options.limits.articleLimit) {
        const [oldestId, oldest] = articles.entries().next().value!;
        articles.delete(oldestId);
        trimmedThrough = Math.max(trimmedThrough, oldest.seq);
      }
    } else if (entry.version >= held.version) {
      articles.delete(entry.articleId);
      articles.set(entry.articleId, entry);
    }
    seq = entry.seq;
    currentSet = null;
    emit(entry.frame);
  };

  // reads the log after our seq; if it was trimmed past us (long outage), takes a fresh snapshot and
  // sends live readers what changed since (they resume from there)
  const step = async (): Promise<boolean> => {
    const page = await readLogAfter(connection, seq, PAGE);
    if (page.length > 0 && page[0]!.seq !== seq + 1) {
      const fresh = await readSnapshot(connection);
      const missedFrom = seq;
      articles = new Map(fresh.articles.map((a) => [a.articleId, a]));
      trimmedThrough = fresh.trimmedThrough;
      seq = fresh.seq;
      currentSet = null;
      options.logger.warn({ from: missedFrom, to: fresh.seq }, 'relay: history trimmed past this instance; resynced');
      for (const article of articles.values()) if (article.seq > missedFrom) emit(article.frame);
      return true;
    }
    for (const entry of page) apply(entry);
    return page.length === PAGE;
  };

  // one catch-up at a time; a nudge during one runs another after it
  let running: Promise<void> | null = null;
  let again = false;
  const catchUp = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while (await step());
        } while (again);
      } catch (error) {
        options.logger.warn({ error: errorMessage(error) }, 'relay: catching up from the shared history failed; retrying');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  let closed = false;
  let listener: pg.Client | null = null;
  let reconnectMs = 100;
  const listen = async (): Promise<void> => {
    if (closed) return;
    try {
      const client = await connection.dedicatedClient();
      const lost = (): void => {
        client.removeAllListeners();
        client.on('error', () => {});
        void client.end().catch(() => {}); // already broken; ending only frees it
        if (listener === client) listener = null;
        if (closed) return;
        options.logger.warn({}, 'relay: LISTEN connection lost; reconnecting');
        setTimeout(() => void listen(), reconnectMs).unref();
        reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS);
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', () => void catchUp());
      await client.query(`LISTEN ${client.escapeIdentifier(relayChannel(connection.schema))}`);
      if (closed) return void (await client.end());
      listener = client;
      reconnectMs = 100;
      // whatever was committed while we were not listening
      await catchUp();
    } catch (error) {
      if (closed) return;
      options.logger.warn({ error: errorMessage(error) }, 'relay: LISTEN failed; retrying');
      setTimeout(() => void listen(), reconnectMs).unref();
      reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS);
    }
  };
  await listen();
  const poll = setInterval(() => void catchUp(), options.pollMs ?? 5000);
  poll.unref();

  return {
    epoch,
    get seq() {
      return seq;
    },
    get historySize() {
      return articles.size;
    },
    subscribe(listen) {
      listeners.add(listen);
    },
    async accept(message: PublicationMessage) {
      const result = await appendMessage(
        connection,
        message,
        (next) => JSON.stringify({ type: 'article', seq: next, message } satisfies ArticleFrame),
        options.limits,
      );
      // our readers hear of it through the ordered apply, like every other instance's
      if (!result.duplicate) await catchUp();
      return { ...result, frame: null };
    },
    replay(requestedSince, readerEpoch) {
      // another stream's position means nothing; a position ahead of ours (the reader came from an
      // instance further along) is kept: we send from there once we get there
      const foreign = (readerEpoch !== null && readerEpoch !== epoch) || (readerEpoch === null && requestedSince > seq);
      const since = foreign ? 0 : requestedSince;
      const gap = requestedSince > 0 && (since !== requestedSince || since < trimmedThrough);
      const includeRetracts = requestedSince > 0;
      let frames: string[];
      if (since === 0 && !includeRetracts) {
        currentSet ??= [...articles.values()].filter((a) => a.kind === 'publish').map((a) => a.frame);
        frames = currentSet;
      } else {
        frames = [...articles.values()].filter((a) => a.seq > since && (includeRetracts || a.kind === 'publish')).map((a) => a.frame);
      }
      return { hello: { type: 'hello', epoch, seq, oldestSeq: trimmedThrough + 1, gap }, frames };
    },
    async close() {
      closed = true;
      clearInterval(poll);
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners();
        client.on('error', () => {});
        await client.end().catch(() => {});
      }
      await running;
      await connection.close();
    },
  };
}
