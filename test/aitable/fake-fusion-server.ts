// A faithful stand-in for the AITable Fusion API v1 (see shared/reference/aitable-api.md §9):
// real HTTP on 127.0.0.1, the {success,code,message,data} envelope, most errors as HTTP 200 with
// success:false, paging with data.pageSize = records on the page, whole-second createdAt /
// updatedAt, empty cells and unchecked checkboxes omitted, URL cells read back as objects,
// the 10-record write cap, multipart attachment upload, 429 above N requests per 1-s window per
// (token, datasheet), 401, 404, 500. Tests get hooks: a controllable clock, record add/edit,
// request log, injected failures and scheduled fault windows (fake-faults.ts).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ApiFailure, COMPUTED, asString, bad, newId, readCell as readStored, toStored as toStoredCell } from './fake-cells.ts';
import type { FakeAsset } from './fake-cells.ts';
import { createFaultPlan, truncateJson } from './fake-faults.ts';
import type { FaultKind, FaultWindow } from './fake-faults.ts';
import { FormulaError, evaluate, parseFormula } from './fake-formula.ts';
import type { FormulaRecord } from './fake-formula.ts';
import { asText } from '../helpers/text.ts';

export interface FakeField {
  id: string;
  name: string;
  type: string;
  editable?: boolean;
  isPrimary?: boolean;
  property?: unknown;
}

export interface FakeRecord {
  recordId: string;
  /** ms precision internally; the API reports whole seconds. */
  createdAt: number;
  updatedAt: number | null;
  cells: Map<string, unknown>;
  fieldUpdatedAt: Map<string, number>;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Wall-clock arrival (Date.now()). */
  at: number;
  /** The HTTP status once answered (absent while pending, or for a request that was never answered). */
  status?: number;
  /** Set when a fault window decided the answer. */
  fault?: FaultKind;
  /** For an attachment upload that was stored: its token. */
  uploadToken?: string;
}

/** One completed attachment upload, with a digest of its bytes (the API itself returns none). */
export interface FakeUpload {
  token: string;
  name: string;
  size: number;
  sha256: string;
  at: number;
}

export interface Injection {
  /** How many matching requests fail; default 1. */
  times?: number;
  match?: (req: FakeRequest) => boolean;
  /** A real HTTP status (429, 500, 401, 403 …) … */
  status?: number;
  /** … or HTTP 200 with success:false and this body code. */
  code?: number;
  message?: string;
}

export const DEFAULT_FIELDS: FakeField[] = [
  { id: 'fldHeadline01', name: 'Headline', type: 'SingleText', isPrimary: true },
  { id: 'fldSummary001', name: 'Summary', type: 'Text' },
  { id: 'fldSection001', name: 'Section', type: 'SingleSelect', property: { options: [] } },
  { id: 'fldBreaking01', name: 'Breaking', type: 'Checkbox' },
  { id: 'fldStoryType1', name: 'Story type', type: 'SingleSelect', property: { options: [] } },
  { id: 'fldPrompt0001', name: 'Prompt', type: 'Text' },
  { id: 'fldPriority01', name: 'Priority', type: 'SingleSelect', property: { options: [] } },
  { id: 'fldStatus0001', name: 'Image status', type: 'SingleSelect', property: { options: [] } },
  { id: 'fldImageUrl01', name: 'Image URL', type: 'URL' },
  { id: 'fldImage00001', name: 'Image', type: 'Attachment' },
  { id: 'fldScore00001', name: 'Score', type: 'Number' },
  { id: 'fldCost000001', name: 'Cost', type: 'Currency' },
  { id: 'fldAltText001', name: 'Alt text', type: 'Text' },
  { id: 'fldCreated001', name: 'Created', type: 'CreatedTime', editable: false },
];

const MAX_WRITE = 10;

const envelope = (data?: unknown) => ({ code: 200, success: true, message: 'SUCCESS', ...(data === undefined ? {} : { data }) });

export interface FakeFusionOptions {
  datasheetId?: string;
  tokens?: string[];
  fields?: FakeField[];
  /** Requests per 1-s window per (token, datasheet); the server default is 5. */
  rateLimit?: number;
  views?: { id: string; name: string; hiddenFieldIds?: string[] }[];
}

export type FakeFusion = Awaited<ReturnType<typeof startFakeFusionServer>>;

export async function startFakeFusionServer(options: FakeFusionOptions = {}) {
  const datasheetId = options.datasheetId ?? 'dstFakeNews0001';
  const tokens = new Set(options.tokens ?? ['test-token']);
  const fields: FakeField[] = structuredClone(options.fields ?? DEFAULT_FIELDS);
  const views = options.views ?? [{ id: 'viwDefault001', name: 'Grid view' }];
  const records: FakeRecord[] = [];
  const uploads = new Map<string, FakeAsset>();
  const toStored = (field: FakeField, value: unknown) => toStoredCell(field, value, uploads);
  const readCell = (rec: FakeRecord, field: FakeField) => readStored(rec, field, uploads);
  const injections: (Injection & { left: number })[] = [];
  const faults = createFaultPlan();
  const truncated = new WeakSet<ServerResponse>();
  const uploadLog: FakeUpload[] = [];
  const windows = new Map<string, { start: number; count: number }>();
  const log: FakeRequest[] = [];
  let frozenNow: number | null = null;
  let rateLimit = options.rateLimit ?? 5;

  const clock = {
    now: () => frozenNow ?? Date.now(),
    set: (ms: number) => void (frozenNow = ms),
    advance: (ms: number) => void (frozenNow = (frozenNow ?? Date.now()) + ms),
    real: () => void (frozenNow = null),
  };

  const fieldBy = (ref: string) => fields.find((f) => f.id === ref || f.name === ref) ?? null;
  const fieldByKey = (ref: string, key: string) => fields.find((f) => (key === 'id' ? f.id : f.name) === ref) ?? null;

  function recordVo(rec: FakeRecord, shown: FakeField[], key: string, cellFormat: string) {
    const out: Record<string, unknown> = {};
    for (const f of shown) {
      const v = readCell(rec, f);
      if (v !== undefined) out[key === 'id' ? f.id : f.name] = cellFormat === 'string' ? asString(v) : v;
    }
    return {
      recordId: rec.recordId,
      createdAt: Math.floor(rec.createdAt / 1000) * 1000,
      ...(rec.updatedAt === null ? {} : { updatedAt: Math.floor(rec.updatedAt / 1000) * 1000 }),
      fields: out,
    };
  }

  function formulaView(rec: FakeRecord): FormulaRecord {
    return {
      recordId: rec.recordId,
      createdAt: rec.createdAt,
      fieldUpdatedAt: rec.fieldUpdatedAt,
      value: (id) => {
        const f = fields.find((x) => x.id === id);
        const v = f ? readCell(rec, f) : undefined;
        return v === undefined ? null : Array.isArray(v) || (typeof v === 'object' && v !== null) ? asString(v) : v;
      },
    };
  }

  function writeCells(rec: FakeRecord, input: Record<string, unknown>, key: string, at: number, strict: boolean): void {
    const known = Object.entries(input).flatMap(([k, v]) => {
      const f = strict ? fieldByKey(k, key) : fieldBy(k);
      return f ? [[f, v] as const] : []; // unknown keys are silently dropped
    });
    if (known.length === 0 && Object.keys(input).length > 0) throw bad('The format of the fields parameter value is wrong');
    const converted = known.map(([f, v]) => [f, toStored(f, v)] as const);
    for (const [f, v] of converted) {
      if (v === null) rec.cells.delete(f.id);
      else rec.cells.set(f.id, v);
      rec.fieldUpdatedAt.set(f.id, at);
    }
    rec.updatedAt = at;
  }

  // ---------- routes ----------

  function listRecords(q: URLSearchParams) {
    const key = q.get('fieldKey') ?? 'name';
    const cellFormat = q.get('cellFormat') ?? 'json';
    if (!['name', 'id'].includes(key) || !['json', 'string'].includes(cellFormat)) throw new ApiFailure(400, 'Invalid query parameter');
    const pageSize = Number(q.get('pageSize') ?? 100);
    const pageNum = Number(q.get('pageNum') ?? 1);
    if (!Number.isInteger(pageSize) || (pageSize !== -1 && (pageSize < 1 || pageSize > 1000))) throw bad('pagesize value out of range');
    if (!Number.isInteger(pageNum) || pageNum < 1) throw bad('pageNum value must be >= 1');
    let shown = fields;
    const viewId = q.get('viewId');
    if (viewId) {
      const view = views.find((v) => v.id === viewId);
      if (!view) throw bad(`View (${viewId}) does not exist`);
      shown = fields.filter((f) => !view.hiddenFieldIds?.includes(f.id));
    }
    const wanted = [...q.getAll('fields[]'), ...(q.get('fields')?.split(',') ?? [])];
    if (wanted.length) {
      const picked = wanted.map((w) => shown.find((f) => (key === 'id' ? f.id : f.name) === w));
      if (picked.some((f) => !f)) throw bad('Invalid fields');
      shown = picked as FakeField[];
    }
    let rows = [...records];
    const ids = q.get('recordIds')?.split(',').filter(Boolean);
    if (ids?.length) {
      rows = ids.map((id) => {
        const rec = records.find((r) => r.recordId === id);
        if (!rec) throw bad('The record specified by the recordId does not exist');
        return rec;
      });
    }
    const formula = q.get('filterByFormula');
    if (formula) {
      let ast;
      try {
        ast = parseFormula(formula, (ref) => fieldBy(ref)?.id ?? null);
      } catch (error) {
        if (error instanceof FormulaError) throw bad(`The formula is wrong: ${error.message}`);
        throw error;
      }
      rows = rows.filter((rec) => {
        const v = evaluate(ast, formulaView(rec));
        return v !== null && v !== false && v !== 0 && v !== '';
      });
    }
    const sortFields = q.getAll('sort[][field]');
    const sortOrders = q.getAll('sort[][order]');
    for (let s = sortFields.length - 1; s >= 0; s -= 1) {
      const f = fieldByKey(sortFields[s] ?? '', key);
      if (!f) throw bad('The sort field does not exist');
      const dir = sortOrders[s]?.toLowerCase() === 'desc' ? -1 : 1;
      rows.sort((a, b) => dir * asText(readCell(a, f)).localeCompare(asText(readCell(b, f)), undefined, { numeric: true }));
    }
    const maxRecords = q.get('maxRecords');
    if (maxRecords) rows = rows.slice(0, Number(maxRecords));
    const page = pageSize === -1 ? rows : rows.slice((pageNum - 1) * pageSize, pageNum * pageSize);
    return { total: rows.length, pageNum, pageSize: page.length, records: page.map((r) => recordVo(r, shown, key, cellFormat)) };
  }

  function writeRecords(method: string, body: unknown) {
    const { records: items, fieldKey = 'name' } = (body ?? {}) as { records?: unknown; fieldKey?: string };
    if (!Array.isArray(items) || items.length === 0) throw bad("records value can't be empty array or null");
    if (items.length > MAX_WRITE) throw bad(`Can't update/delete/create more than ${MAX_WRITE} records in one single request`);
    const now = clock.now();
    // validate everything on copies first: a failing request changes nothing
    const planned = items.map((item: unknown) => {
      const { recordId, fields: input } = (item ?? {}) as { recordId?: unknown; fields?: unknown };
      if (typeof input !== 'object' || input === null) throw bad('The format of the fields parameter value is wrong');
      if (method === 'POST') {
        const rec: FakeRecord = { recordId: newId('rec'), createdAt: now, updatedAt: now, cells: new Map(), fieldUpdatedAt: new Map() };
        writeCells(rec, input as Record<string, unknown>, fieldKey, now, true);
        rec.fieldUpdatedAt.clear();
        return { rec, original: null };
      }
      const original = records.find((r) => r.recordId === recordId);
      if (!original) throw bad('The record specified by the recordId does not exist');
      const rec = { ...original, cells: new Map(original.cells), fieldUpdatedAt: new Map(original.fieldUpdatedAt) };
      writeCells(rec, input as Record<string, unknown>, fieldKey, now, true);
      return { rec, original };
    });
    for (const { rec, original } of planned) {
      if (original) records.splice(records.indexOf(original), 1, rec);
      else records.push(rec);
    }
    return { records: planned.map(({ rec }) => recordVo(rec, fields, fieldKey, 'json')) };
  }

  async function upload(req: IncomingMessage) {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) throw bad("Attachment name can't be empty");
    const web = new Request('http://fake.local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Readable.toWeb(req) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const form = await web.formData();
    const file = form.get('file');
    if (!(file instanceof File) || form.getAll('file').length !== 1) throw bad("Attachment name can't be empty");
    const bytes = Buffer.from(await file.arrayBuffer());
    const token = `space/${new Date(clock.now()).toISOString().slice(0, 10).replaceAll('-', '/')}/${newId('')}`;
    let size: { width?: number; height?: number } = {};
    try {
      const sharp = (await import('sharp')).default;
      const meta = await sharp(bytes).metadata();
      size = { width: meta.width, height: meta.height };
    } catch {
      // not an image: width/height stay absent, as on the real server
    }
    const asset = {
      token,
      name: file.name,
      size: bytes.length,
      mimeType: file.type || 'application/octet-stream',
      ...size,
      url: `${baseUrl.replace('/fusion/v1', '')}/assets/${token}`,
    };
    uploads.set(token, asset);
    uploadLog.push({
      token,
      name: file.name,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      at: Date.now(),
    });
    return asset;
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw bad('The request body is not valid JSON');
    }
  }

  function send(res: ServerResponse, status: number, body: object) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    const text = JSON.stringify(body);
    res.end(truncated.has(res) ? truncateJson(text) : text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const method = req.method ?? 'GET';
    const isUpload = url.pathname.endsWith('/attachments');
    const body = ['POST', 'PATCH', 'PUT'].includes(method) && !isUpload ? await readJson(req).catch(() => null) : null;
    const entry: FakeRequest = { method, path: url.pathname, query: url.searchParams, body, at: Date.now() };
    log.push(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
      fake.onResponse?.(entry);
    });
    const fault = faults.pick(entry);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind !== 'truncated-json') req.resume(); // drain an unread upload body so the socket stays usable
      if (faults.respond(fault, res)) return;
      truncated.add(res); // served as usual (writes take effect), the answer cut off half way
    }
    if (!url.pathname.startsWith('/fusion/v1/')) return send(res, 404, { success: false, code: 404, message: 'The API does not exist' });
    const auth = req.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    if (!bearer || !tokens.has(bearer)) return send(res, 401, { success: false, code: 401, message: 'Unauthorized' });
    // fixed 1-s window per (datasheet, token); every request counts, failed ones too
    const m = /^\/fusion\/v1\/datasheets\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const windowKey = `${m?.[1] ?? 'user'}:${bearer}`;
    const t = performance.now();
    const w = windows.get(windowKey);
    if (!w || t - w.start >= 1000) windows.set(windowKey, { start: t, count: 1 });
    else if (++w.count > rateLimit) {
      return send(res, 429, {
        success: false,
        code: 429,
        message: `The API request rate for the current space is ${rateLimit} queries per second (QPS).`,
      });
    }
    await fake.onRequest?.(entry);
    const injected = injections.find((i) => i.left > 0 && (!i.match || i.match(entry)));
    if (injected) {
      injected.left -= 1;
      const code = injected.code ?? injected.status ?? 500;
      const message = injected.message ?? (code === 500 ? 'SERVER_ERROR (injected)' : `injected failure ${code}`);
      return send(res, injected.status ?? 200, { success: false, code, message });
    }
    if (!m) return send(res, 404, { success: false, code: 404, message: 'The API does not exist' });
    if (m[1] !== datasheetId) return send(res, 200, { success: false, code: 301, message: "Can't find the specified datasheet" });
    const route = `${method} ${m[2] ?? ''}`;
    if (route === 'GET /records') return send(res, 200, envelope(listRecords(url.searchParams)));
    if (route === 'GET /fields') {
      const view = url.searchParams.get('viewId') ? views.find((v) => v.id === url.searchParams.get('viewId')) : undefined;
      if (url.searchParams.get('viewId') && !view) throw bad('The specified view does not exist');
      const shown = fields.filter((f) => !view?.hiddenFieldIds?.includes(f.id));
      return send(res, 200, envelope({ fields: shown.map((f) => ({ editable: !COMPUTED.has(f.type), ...f })) }));
    }
    if (route === 'GET /views') return send(res, 200, envelope({ views: views.map((v) => ({ id: v.id, name: v.name, type: 'Grid' })) }));
    if (route === 'POST /records' || route === 'PATCH /records' || route === 'PUT /records')
      return send(res, 200, envelope(writeRecords(method, body)));
    if (route === 'POST /attachments') {
      const asset = await upload(req);
      entry.uploadToken = asset.token;
      return send(res, 200, envelope(asset));
    }
    return send(res, 404, { success: false, code: 404, message: 'The API does not exist' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ApiFailure) send(res, error.status, { success: false, code: error.code, message: error.message });
      else send(res, 500, { success: false, code: 500, message: `SERVER_ERROR (${(error as Error).message})` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}/fusion/v1`;

  function cellsByAnyKey(input: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [fieldBy(k)?.id ?? k, v]));
  }

  const fake = {
    baseUrl,
    port,
    datasheetId,
    clock,
    fields,
    records,
    uploads,
    /** Every completed attachment upload, in order, with the sha256 of its bytes. */
    uploadLog,
    /** Every request received, in order. */
    requests: log,
    /** Called for each authorised, non-rate-limited request before it is served (may mutate data). */
    onRequest: null as ((req: FakeRequest) => void | Promise<void>) | null,
    /** Called once a request's answer has been sent in full (not for hung or cut-off requests). */
    onResponse: null as ((req: FakeRequest) => void) | null,
    /** Opens a fault window (see fake-faults.ts); faults apply before auth and rate limits, as a proxy's would. */
    addFault: (window: FaultWindow) => faults.add(window),
    /** Closes every fault window and drops the requests hung by them. */
    clearFaults: () => faults.clear(),
    faultWindows: () => faults.windows,
    setRateLimit: (n: number) => void (rateLimit = n),
    inject(injection: Injection) {
      injections.push({ ...injection, left: injection.times ?? 1 });
    },
    clearInjections: () => void injections.splice(0),
    /** Adds a record as if typed in the UI; `at` sets its creation time (default: the clock). */
    addRecord(cells: Record<string, unknown>, opts: { at?: number; index?: number; noUpdatedAt?: boolean } = {}): string {
      const at = opts.at ?? clock.now();
      const rec: FakeRecord = { recordId: newId('rec'), createdAt: at, updatedAt: at, cells: new Map(), fieldUpdatedAt: new Map() };
      writeCells(rec, cellsByAnyKey(cells), 'id', at, false);
      rec.fieldUpdatedAt.clear(); // edits, not the creation, set LAST_MODIFIED_TIME
      if (opts.noUpdatedAt) rec.updatedAt = null;
      records.splice(opts.index ?? records.length, 0, rec);
      return rec.recordId;
    },
    editRecord(recordId: string, cells: Record<string, unknown>, opts: { at?: number } = {}): void {
      const rec = records.find((r) => r.recordId === recordId);
      if (!rec) throw new Error(`no record ${recordId}`);
      writeCells(rec, cellsByAnyKey(cells), 'id', opts.at ?? clock.now(), false);
    },
    deleteRecord(recordId: string): void {
      const i = records.findIndex((r) => r.recordId === recordId);
      if (i >= 0) records.splice(i, 1);
    },
    /** A record's cells keyed by field name, as stored. */
    cellsOf(recordId: string): Record<string, unknown> {
      const rec = records.find((r) => r.recordId === recordId);
      if (!rec) throw new Error(`no record ${recordId}`);
      return Object.fromEntries([...rec.cells].map(([id, v]) => [fields.find((f) => f.id === id)?.name ?? id, v]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
