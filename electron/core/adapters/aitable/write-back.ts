// Writes the pipeline's state back to the article's record. report() only records the update
// in memory (latest per record wins, earlier optional values kept); a flusher uploads images,
// then patches ≤10 records per request through the client's shared rate limiter and retries.
import type { SourceStatusUpdate, SourceWriteBack } from '../types.ts';
import { AitableError, createAitableClient } from './client.ts';
import type { AitableClient, RecordUpdate } from './client.ts';
import { AitableConfigSchema } from './config.ts';
import type { AitableConfig, AitableConfigInput, AitableDeps } from './config.ts';

export interface AitableWriteBack extends SourceWriteBack {
  /** Updates waiting to be written (for status displays and tests). */
  pending(): number;
  /** Write what is pending now (close() does this too). */
  flush(): Promise<void>;
}

const DEFAULT_LABELS: Record<SourceStatusUpdate['status'], string> = {
  queued: 'Queued',
  generated: 'Generated',
  approved: 'Approved',
  published: 'Published',
  failed: 'Failed',
  rejected: 'Rejected',
};

/** How often a batch is retried (after the client's own retries) before it is dropped. */
const MAX_FLUSH_ROUNDS = 5;
/** Shutdown must not hang on an unreachable AITable. */
const CLOSE_DEADLINE_MS = 15_000;

function merge(older: SourceStatusUpdate | undefined, newer: SourceStatusUpdate): SourceStatusUpdate {
  if (!older) return newer;
  const kept = Object.fromEntries(Object.entries(newer).filter(([, v]) => v !== undefined));
  return { ...older, ...kept } as SourceStatusUpdate;
}

async function toFields(update: SourceStatusUpdate, config: AitableConfig, client: AitableClient, signal: AbortSignal): Promise<Record<string, unknown>> {
  const f = config.writeBack.fields;
  const fields: Record<string, unknown> = {};
  if (f.status) fields[f.status] = config.writeBack.statusLabels[update.status] ?? DEFAULT_LABELS[update.status];
  if (f.imageUrl && update.imageUrl !== undefined) fields[f.imageUrl] = update.imageUrl;
  if (f.score && update.score !== undefined) fields[f.score] = update.score;
  if (f.cost && update.costUsd !== undefined) fields[f.cost] = Math.round(update.costUsd * 10_000) / 10_000;
  if (f.altText && update.altText !== undefined) fields[f.altText] = update.altText;
  if (f.imageAttachment && update.image) {
    // upload first, then point the cell at the token; writing the array replaces the cell
    const uploaded = await client.uploadAttachment(update.image, signal);
    fields[f.imageAttachment] = [{ token: uploaded.token, name: update.image.filename }];
  }
  return fields;
}

export function createAitableWriteBack(configInput: AitableConfigInput, deps: AitableDeps & { client?: AitableClient }): AitableWriteBack {
  const config = AitableConfigSchema.parse(configInput);
  const client = deps.client ?? createAitableClient(config, deps);
  const waiting = new Map<string, SourceStatusUpdate>();
  const rounds = new Map<string, number>();
  const stop = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closing = false;

  function schedule(delayMs: number): void {
    if (timer || closing || waiting.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delayMs);
  }

  /** A failed batch goes back in unless a newer report for the record arrived meanwhile. */
  function requeue(batch: SourceStatusUpdate[], error: unknown): void {
    // a single record refused as invalid (deleted, archived, bad value) will never pass
    const hopeless = error instanceof AitableError && error.kind === 'bad_request' && batch.length === 1;
    for (const update of batch) {
      const round = (rounds.get(update.recordId) ?? 0) + 1;
      if (hopeless || round >= MAX_FLUSH_ROUNDS) {
        rounds.delete(update.recordId);
        deps.logger?.warn({ recordId: update.recordId, error: (error as Error).message }, 'AITable write-back dropped');
        continue;
      }
      rounds.set(update.recordId, round);
      waiting.set(update.recordId, merge(update, waiting.get(update.recordId) ?? update));
    }
  }

  async function writeBatch(batch: SourceStatusUpdate[]): Promise<void> {
    const updates: RecordUpdate[] = [];
    for (const update of batch) updates.push({ recordId: update.recordId, fields: await toFields(update, config, client, stop.signal) });
    const nonEmpty = updates.filter((u) => Object.keys(u.fields).length > 0);
    if (nonEmpty.length > 0) await client.updateRecords(nonEmpty, stop.signal);
    for (const update of batch) rounds.delete(update.recordId);
  }

  async function drain(): Promise<void> {
    const all = [...waiting.values()];
    waiting.clear();
    for (let i = 0; i < all.length; i += 10) {
      const batch = all.slice(i, i + 10);
      try {
        await writeBatch(batch);
      } catch (error) {
        if (error instanceof AitableError && error.kind === 'bad_request' && batch.length > 1) {
          // one bad record (deleted, archived) fails the whole request: retry each on its own
          for (const one of batch) await writeBatch([one]).catch((e: unknown) => requeue([one], e));
        } else {
          requeue(batch, error);
        }
      }
    }
  }

  function flush(): Promise<void> {
    running ??= drain().finally(() => {
      running = null;
      // failed batches wait a little longer than fresh reports
      schedule(rounds.size > 0 ? config.writeBack.flushDelayMs * 4 + 1000 : config.writeBack.flushDelayMs);
    });
    return running;
  }

  return {
    report(update) {
      if (!config.writeBack.enabled || closing) return;
      waiting.set(update.recordId, merge(waiting.get(update.recordId), update));
      schedule(config.writeBack.flushDelayMs);
    },
    pending: () => waiting.size,
    flush,
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const deadline = setTimeout(() => stop.abort(new Error('write-back close deadline passed')), CLOSE_DEADLINE_MS);
      for (let round = 0; round <= MAX_FLUSH_ROUNDS && (waiting.size > 0 || running); round += 1) {
        await (running ?? flush());
      }
      clearTimeout(deadline);
      if (waiting.size > 0) deps.logger?.warn({ pending: waiting.size }, 'AITable write-back closed with updates unwritten');
      stop.abort();
    },
  };
}
