// AITable write-back: maps what a record should show onto the configured fields and PATCHes at
// most 10 records per request through the client's shared rate limiter. Durability, coalescing,
// retries and problems live in the core's outbox (app/write-back-worker.ts); this file only knows
// the Fusion API — including the ways it fails quietly (unknown fields are dropped with HTTP 200).
import type { RecordWrite, RecordWriteOutcome, SourceWriteBack } from '../types.ts';
import { AitableError, createAitableClient, MAX_RECORDS_PER_WRITE } from './client.ts';
import type { AitableClient, RecordUpdate } from './client.ts';
import { AitableConfigSchema } from './config.ts';
import type { AitableConfig, AitableConfigInput, AitableDeps } from './config.ts';
import type { AitableRecord } from './responses.ts';

const DEFAULT_LABELS: Record<RecordWrite['status'], string> = {
  queued: 'Queued',
  generated: 'Generated',
  approved: 'Approved',
  published: 'Published',
  failed: 'Failed',
  rejected: 'Rejected',
};

type FieldRole = keyof AitableConfig['writeBack']['fields'];
interface Cells {
  cells: Record<string, unknown>;
  roles: Map<string, FieldRole>;
}

/** The record's cells for a state, keyed by field reference; with the role each cell came from. */
function toCells(record: RecordWrite, config: AitableConfig): Cells {
  const f = config.writeBack.fields;
  const cells: Record<string, unknown> = {};
  const roles = new Map<string, FieldRole>();
  const set = (role: FieldRole, value: unknown) => {
    const ref = f[role];
    if (!ref) return;
    cells[ref] = value;
    roles.set(ref, role);
  };
  set('status', config.writeBack.statusLabels[record.status] ?? DEFAULT_LABELS[record.status]);
  set('imageUrl', record.imageUrl);
  set('score', record.score);
  set('cost', Math.round(record.costUsd * 10_000) / 10_000);
  set('altText', record.altText);
  set('credit', record.credit);
  set('aiLabel', record.aiGenerated === null ? null : record.aiGenerated ? config.writeBack.aiLabels.ai : config.writeBack.aiLabels.notAi);
  set('safetyOverride', record.safetyOverride);
  set('approvedBy', record.approvedBy ?? null);
  // writing the array replaces the cell: exactly the one live image, or none (null clears it)
  set('imageAttachment', record.attachment ? [{ token: record.attachment.token, name: record.attachment.name }] : null);
  return { cells, roles };
}

/** The server refused this request's content (HTTP 200, success:false, a body code): not the network, not the token. */
function isRecordRefusal(error: unknown): error is AitableError {
  return error instanceof AitableError && error.kind === 'bad_request' && error.code !== null;
}

export function createAitableWriteBack(configInput: AitableConfigInput, deps: AitableDeps & { client?: AitableClient }): SourceWriteBack {
  const config = AitableConfigSchema.parse(configInput);
  const client = deps.client ?? createAitableClient(config, deps);

  /** A missing field among these references, as the error that names it (with the near match), or null. */
  async function missingFields(refs: Map<string, FieldRole>, signal: AbortSignal): Promise<AitableError | null> {
    const known = (await client.getFields(signal)).map((field) => (config.fieldKey === 'id' ? field.id : field.name));
    const lines = [...refs]
      .filter(([ref]) => !known.includes(ref))
      .map(([ref, role]) => {
        const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
        const near = known.find((name) => squash(name) === squash(ref));
        return `no field "${ref}" (source.writeBack.fields.${role})${near ? ` — did you mean "${near}"?` : ''}`;
      });
    if (lines.length === 0) return null;
    return new AitableError(
      `AITable write-back: datasheet ${config.datasheetId} has ${lines.join('; ')}; fix the config or restore the field`,
      'bad_request',
      200,
      null,
    );
  }

  /**
   * The API drops writes to unknown fields and still answers 200, so a deleted or renamed field
   * would silently stop the write-back: every non-empty cell we sent must come back.
   */
  async function assertFieldsCameBack(sent: Cells[], written: AitableRecord[], signal: AbortSignal): Promise<void> {
    const returned = new Set(written.flatMap((record) => Object.keys(record.fields)));
    const absent = new Map<string, FieldRole>();
    for (const { cells, roles } of sent) {
      for (const [ref, value] of Object.entries(cells)) if (value !== null && !returned.has(ref)) absent.set(ref, roles.get(ref)!);
    }
    const error = absent.size > 0 ? await missingFields(absent, signal) : null;
    if (error) throw error;
  }

  /** After a refused single-record write: is the record still there? */
  async function recordExists(recordId: string, signal: AbortSignal): Promise<boolean> {
    const page = await client.listRecords({ filterByFormula: `RECORD_ID()="${recordId}"`, pageSize: 1 }, signal);
    return page.records.length > 0;
  }

  async function writeSome(records: RecordWrite[], signal: AbortSignal): Promise<void> {
    const sent = records.map((record) => toCells(record, config));
    const updates: RecordUpdate[] = records.map((record, i) => ({ recordId: record.recordId, fields: sent[i]!.cells }));
    const written = await client.updateRecords(updates, signal);
    await assertFieldsCameBack(sent, written, signal);
  }

  /** Why one record's write was refused: it is gone, a field is missing (everyone's problem: thrown), or its values. */
  async function refused(record: RecordWrite, error: AitableError, signal: AbortSignal): Promise<RecordWriteOutcome> {
    if (!(await recordExists(record.recordId, signal))) return { recordId: record.recordId, ok: false, error, gone: true };
    const missing = await missingFields(toCells(record, config).roles, signal);
    if (missing) throw missing;
    return { recordId: record.recordId, ok: false, error, gone: false };
  }

  async function write(records: RecordWrite[], signal: AbortSignal): Promise<RecordWriteOutcome[]> {
    try {
      await writeSome(records, signal);
      return records.map((record) => ({ recordId: record.recordId, ok: true }));
    } catch (error) {
      // network, auth, a missing field: the whole call failed, and the core retries it
      if (!isRecordRefusal(error)) throw error;
      if (records.length === 1) return [await refused(records[0]!, error, signal)];
      // one bad record (deleted, archived, a refused value) fails the whole request: find it
      const outcomes: RecordWriteOutcome[] = [];
      for (const record of records) {
        try {
          await writeSome([record], signal);
          outcomes.push({ recordId: record.recordId, ok: true });
        } catch (single) {
          if (!isRecordRefusal(single)) throw single;
          outcomes.push(await refused(record, single, signal));
        }
      }
      return outcomes;
    }
  }

  return {
    name: 'aitable',
    batchSize: MAX_RECORDS_PER_WRITE,
    wantsAttachment: config.writeBack.fields.imageAttachment !== null,
    write,
    uploadAttachment: (file, signal) =>
      client.uploadAttachment(file, signal).then((uploaded) => ({ token: uploaded.token, name: file.filename })),
  };
}
