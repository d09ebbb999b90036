// Drains the write-back outbox: claims due rows under a lease, uploads a published image once
// per content (the token is kept), writes the records through the source's adapter, and decides
// what a failure means through the one failure policy: transient → back off (honouring
// Retry-After) and try again until it sticks; a rejected token, a missing field, a deleted
// record → an open problem that says what to do. Nothing is ever dropped in silence.
import { extname } from 'node:path';
import type { ImageStorage, RecordWrite, RecordWriteOutcome, SourceWriteBack } from '../adapters/types.ts';
import { classifyError, errorMessage, type FailureKind } from '../base/failures.ts';
import type { Logger } from '../base/log.ts';
import { fullJitterDelay } from '../queue/backoff.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';
import type { Store } from '../store/store.ts';
import {
  claimDueWriteBacks,
  nextWriteBackDue,
  recordUploadedAttachment,
  retryWriteBack,
  settleWriteBack,
  stateOf,
  uploadedAttachment,
  type WriteBackRow,
} from '../store/writebacks.ts';

export interface WriteBackWorkerOptions {
  store: Store;
  writeBack: SourceWriteBack;
  storage: Pick<ImageStorage, 'get' | 'urlFor'>;
  logger: Logger;
  owner: string;
  /** How long a claimed batch stays ours; after a crash another run takes it over this soon. */
  leaseMs: number;
  /** Delay that coalesces a burst of changes to one record into one write. */
  coalesceMs: number;
  /** Back-off bounds for failed writes (full jitter). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Failed rounds before a transient fault becomes an open problem. */
  problemAfter?: number;
}

export interface WriteBackWorker {
  /** Look for due rows soon (a state changed). */
  wake(): void;
  /**
   * Stops claiming and lets the batch in flight finish for up to `graceMs` (so an upload that
   * reached AITable is remembered), then interrupts it; whatever is left is written on the next start.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Permanent faults still retry, just slowly: a key pasted in, a field restored or a plan upgraded fixes them. */
const SLOW_RETRY_CAP_MS: Partial<Record<FailureKind, number>> = { quota: 600_000, bad_request: 300_000 };
const WAKE_CHECK_MS = 5_000;

const CONTENT_TYPES: Record<string, string> = {
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.avif': 'image/avif',
};

export function startWriteBackWorker(options: WriteBackWorkerOptions): WriteBackWorker {
  const { store, writeBack, storage, owner, leaseMs } = options;
  const log = options.logger.child({ module: 'write-back' });
  const baseMs = options.retryBaseMs ?? 1_000;
  const capMs = options.retryCapMs ?? 60_000;
  const problemAfter = options.problemAfter ?? 2;
  const label = writeBack.name === 'aitable' ? 'AITable' : writeBack.name;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;
  let draining: Promise<void> | null = null;
  let stopped = false;

  /** Drain after `delayMs`, unless a drain is already due sooner. */
  function schedule(delayMs: number): void {
    if (stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Infinity;
        // a round the database refused (disk full) is not the end: its rows' leases expire and are claimed again
        draining ??= drain()
          .catch((error: unknown) => log.warn({ err: error }, 'write-back round failed; retrying'))
          .finally(() => {
            draining = null;
            scheduleNext();
          });
      },
      Math.max(0, delayMs),
    );
    timer.unref();
  }

  function scheduleNext(): void {
    const due = nextWriteBackDue(store);
    schedule(due === null ? WAKE_CHECK_MS : Math.min(WAKE_CHECK_MS, due - store.now()));
  }

  async function drain(): Promise<void> {
    while (!stopped) {
      // one batch at a time: AITable allows 5 requests/s per datasheet, shared with polling
      const rows = claimDueWriteBacks(store, owner, leaseMs, writeBack.batchSize);
      if (rows.length === 0) return;
      await writeRows(rows);
    }
  }

  /** The attachment's upload token: from an earlier upload of the same content, or uploaded now and kept at once. */
  async function attachmentFor(row: WriteBackRow, key: string): Promise<{ token: string; name: string }> {
    const known = uploadedAttachment(store, key);
    if (known) return known;
    const bytes = await storage.get(key, controller.signal);
    const extension = extname(key).toLowerCase();
    const file = {
      bytes,
      filename: `${row.article_id}-hero${extension}`,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    };
    const uploaded = await writeBack.uploadAttachment(file, controller.signal);
    recordUploadedAttachment(store, key, uploaded);
    return uploaded;
  }

  async function toRecordWrite(row: WriteBackRow): Promise<RecordWrite> {
    const state = stateOf(row);
    const attachment = writeBack.wantsAttachment && state.attachmentKey ? await attachmentFor(row, state.attachmentKey) : null;
    return {
      recordId: row.article_id,
      status: state.status,
      imageUrl: state.imageKey ? storage.urlFor(state.imageKey) : null,
      score: state.score,
      costUsd: state.costUsd,
      altText: state.altText,
      credit: state.credit ?? null,
      aiGenerated: state.aiGenerated ?? null,
      safetyOverride: state.safetyOverride ?? null,
      approvedBy: state.approvedBy ?? null,
      attachment,
    };
  }

  async function writeRows(rows: WriteBackRow[]): Promise<void> {
    let outcomes: RecordWriteOutcome[];
    try {
      // one upload at a time, each token kept before the next request: a crash can cost at most one
      // upload whose answer was never read, never a batch of them
      const records: RecordWrite[] = [];
      for (const row of rows) records.push(await toRecordWrite(row));
      outcomes = await writeBack.write(records, controller.signal);
    } catch (error) {
      if (stopped && controller.signal.aborted) {
        store.transaction(() =>
          rows.forEach((row) =>
            retryWriteBack(store, row, owner, { dueAt: store.now(), error: 'interrupted by shutdown', counted: false }),
          ),
        );
        return;
      }
      failed(rows, error);
      return;
    }
    store.transaction(() => {
      const byId = new Map(outcomes.map((outcome) => [outcome.recordId, outcome]));
      const refused: string[] = [];
      const gone: string[] = [];
      for (const row of rows) {
        const outcome = byId.get(row.article_id);
        if (!outcome || outcome.ok) {
          settleWriteBack(store, row, owner, { error: null });
          continue;
        }
        // this state of this record will never be written; a later state will be tried afresh
        settleWriteBack(store, row, owner, { error: errorMessage(outcome.error) });
        (outcome.gone ? gone : refused).push(row.article_id);
        log.warn(
          { recordId: row.article_id, gone: outcome.gone },
          `${label} refused the write-back for ${row.article_id}: ${errorMessage(outcome.error)}`,
        );
      }
      if (gone.length > 0)
        noteRecords(
          'gone',
          gone,
          'deleted in AITable',
          'Hero Desk no longer writes to them. Dismiss this if the stories were removed on purpose.',
        );
      if (refused.length > 0) {
        const reason = outcomes.find((o) => !o.ok && !o.gone);
        noteRecords(
          'refused',
          refused,
          `refused by ${label} (${reason && !reason.ok ? errorMessage(reason.error) : 'invalid value'})`,
          'Check the write-back field types in AITable against the config.',
        );
      }
      for (const id of ['writeback', 'writeback:auth', 'writeback:quota', 'writeback:config']) resolveProblem(store, id);
    });
  }

  function noteRecords(kind: 'gone' | 'refused', recordIds: string[], what: string, action: string): void {
    const shown = recordIds.slice(0, 5).join(', ') + (recordIds.length > 5 ? ` and ${recordIds.length - 5} more` : '');
    raiseProblem(store, {
      id: `writeback:${kind}`,
      area: 'writeback',
      level: 'warn',
      message: `Write-back: record ${shown} ${what}`,
      action,
    });
  }

  function failed(rows: WriteBackRow[], error: unknown): void {
    const { kind, message, retryAfterMs } = classifyError(error);
    const attempts = Math.max(...rows.map((row) => row.attempts)) + 1;
    const ceiling = SLOW_RETRY_CAP_MS[kind] ?? capMs;
    const delay = Math.max(retryAfterMs ?? 0, baseMs, fullJitterDelay(attempts, baseMs, ceiling));
    store.transaction(() => {
      for (const row of rows) retryWriteBack(store, row, owner, { dueAt: store.now() + delay, error: message, counted: true });
      if (kind === 'auth') {
        raiseProblem(store, {
          id: 'writeback:auth',
          area: 'key',
          level: 'error',
          message: `${label} rejected the API token: ${message}`,
          action: `Set the ${label} key in Keys (or the environment variable for it); write-backs wait and are sent once it works`,
        });
      } else if (kind === 'quota') {
        raiseProblem(store, {
          id: 'writeback:quota',
          area: 'writeback',
          level: 'error',
          message: `${label} write-back is over a plan limit: ${message}`,
          action: `Check the ${label} plan (attachment capacity, API usage)`,
        });
      } else if (kind === 'bad_request' || kind === 'refused') {
        raiseProblem(store, {
          id: 'writeback:config',
          area: 'config',
          level: 'error',
          message: `${label} write-back cannot be written: ${message}`,
          action: 'Fix the write-back field mapping in the config (source.writeBack.fields), then restart',
        });
      } else if (attempts >= problemAfter) {
        raiseProblem(store, {
          id: 'writeback',
          area: 'writeback',
          level: 'warn',
          message: `${label} write-back is failing: ${message}`,
          action: 'Nothing to do if AITable is down: Hero Desk keeps retrying and catches up',
        });
      }
    });
    log.debug({ kind, attempts, delay, records: rows.length }, `write-back failed; retrying in ${Math.round(delay / 1000)} s: ${message}`);
  }

  // a drain in progress picks new rows up itself; otherwise wake up for them
  const unsubscribe = store.onChange((changes) => {
    if (changes.articleIds.length > 0 && draining === null) schedule(options.coalesceMs);
  });
  scheduleNext();

  return {
    wake: () => schedule(options.coalesceMs),
    async stop(graceMs = 5_000) {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      const inFlight = draining?.catch(() => undefined);
      if (inFlight) await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      controller.abort(new Error('write-back stopping'));
      await inFlight;
    },
  };
}
