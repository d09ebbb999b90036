// Fusion API v1 client: paging reads, ≤10-record writes, multipart upload. Every call goes
// through one rate limiter per (base URL, datasheet, token) and p-retry; every reply is
// validated, and HTTP 200 with `success:false` becomes a typed error, never data.
import { AitableConfigSchema } from './config.ts';
import type { AitableConfig, AitableConfigInput, AitableDeps } from './config.ts';
import { FieldListSchema, RecordListSchema, RecordPageSchema, UploadedAttachmentSchema } from './responses.ts';
import type { AitableRecord, FieldMeta, RecordPage, UploadedAttachment } from './responses.ts';
import { AitableError, createTransport } from './transport.ts';

export { AitableError } from './transport.ts';

/** The server caps creates/updates/deletes at 10 records per request. */
export const MAX_RECORDS_PER_WRITE = 10;

export interface ListRecordsQuery {
  filterByFormula?: string;
  fields?: readonly string[];
  recordIds?: readonly string[];
  pageSize?: number;
  pageNum?: number;
}

export interface RecordUpdate {
  recordId: string;
  fields: Record<string, unknown>;
}

export interface ListAllResult {
  /** Raw records (validated one by one by the caller). */
  records: unknown[];
  total: number;
  requests: number;
  /** False when `total` moved between pages: rows may have shifted under the paging. */
  consistent: boolean;
}

export interface AitableClient {
  readonly config: AitableConfig;
  listRecords(query: ListRecordsQuery, signal?: AbortSignal): Promise<RecordPage>;
  listAllRecords(query: ListRecordsQuery, signal?: AbortSignal): Promise<ListAllResult>;
  getFields(signal?: AbortSignal): Promise<FieldMeta[]>;
  /** Split into requests of at most 10 records. */
  updateRecords(updates: readonly RecordUpdate[], signal?: AbortSignal): Promise<AitableRecord[]>;
  /** One request (at most 10 records). */
  createRecords(records: readonly { fields: Record<string, unknown> }[], signal?: AbortSignal): Promise<AitableRecord[]>;
  uploadAttachment(file: { bytes: Buffer; filename: string; contentType: string }, signal?: AbortSignal): Promise<UploadedAttachment>;
}

export function createAitableClient(configInput: AitableConfigInput, deps: AitableDeps): AitableClient {
  const config = AitableConfigSchema.parse(configInput);
  const sheet = `/datasheets/${encodeURIComponent(config.datasheetId)}`;

  const send = createTransport(config, deps);

  function parse<T>(
    what: string,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Error } },
    data: unknown,
  ): T {
    const result = schema.safeParse(data);
    // retried: a body cut short looks like this too; if it persists the editors see a problem
    if (!result.success)
      throw new AitableError(`AITable ${what}: unexpected reply shape (${result.error.message.slice(0, 200)})`, 'retryable', 200, null);
    return result.data;
  }

  function recordsQuery(query: ListRecordsQuery): URLSearchParams {
    const params = new URLSearchParams();
    params.set('fieldKey', config.fieldKey);
    params.set('pageSize', String(query.pageSize ?? config.pageSize));
    params.set('pageNum', String(query.pageNum ?? 1));
    if (config.viewId) params.set('viewId', config.viewId);
    if (query.filterByFormula) params.set('filterByFormula', query.filterByFormula);
    for (const field of query.fields ?? []) params.append('fields[]', field);
    if (query.recordIds?.length) params.set('recordIds', query.recordIds.join(','));
    return params;
  }

  const client: AitableClient = {
    config,
    async listRecords(query, signal) {
      const data = await send('list records', 'GET', `${sheet}/records`, { query: recordsQuery(query) }, signal);
      return parse('list records', RecordPageSchema, data);
    },
    async listAllRecords(query, signal) {
      const pageSize = query.pageSize ?? config.pageSize;
      const records: unknown[] = [];
      let total = -1;
      let consistent = true;
      let requests = 0;
      for (let pageNum = 1; ; pageNum += 1) {
        const page = await client.listRecords({ ...query, pageSize, pageNum }, signal);
        requests += 1;
        if (total >= 0 && page.total !== total) consistent = false;
        total = page.total;
        records.push(...page.records);
        // stop on a short page or once `total` is reached (no extra empty request)
        if (page.records.length < pageSize || records.length >= total) break;
      }
      return { records, total, requests, consistent };
    },
    async getFields(signal) {
      const query = new URLSearchParams();
      if (config.viewId) query.set('viewId', config.viewId);
      const data = await send('read fields', 'GET', `${sheet}/fields`, { query }, signal);
      return parse('read fields', FieldListSchema, data).fields;
    },
    async updateRecords(updates, signal) {
      const updated: AitableRecord[] = [];
      for (let i = 0; i < updates.length; i += MAX_RECORDS_PER_WRITE) {
        const records = updates.slice(i, i + MAX_RECORDS_PER_WRITE);
        const data = await send('update records', 'PATCH', `${sheet}/records`, { json: { records, fieldKey: config.fieldKey } }, signal);
        updated.push(...parse('update records', RecordListSchema, data).records);
      }
      return updated;
    },
    async createRecords(records, signal) {
      if (records.length > MAX_RECORDS_PER_WRITE) throw new Error(`create at most ${MAX_RECORDS_PER_WRITE} records per request`);
      const data = await send('create records', 'POST', `${sheet}/records`, { json: { records, fieldKey: config.fieldKey } }, signal);
      return parse('create records', RecordListSchema, data).records;
    },
    async uploadAttachment(file, signal) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
      // uploads are slow: the official SDK also gives them ten times the usual timeout
      const data = await send(
        'upload attachment',
        'POST',
        `${sheet}/attachments`,
        { form, timeoutMs: config.requestTimeoutMs * 10 },
        signal,
      );
      return parse('upload attachment', UploadedAttachmentSchema, data);
    },
  };
  return client;
}
