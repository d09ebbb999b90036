// The one failure policy. Every adapter, publisher and storage asks this module whether a
// failure is transient (retry later, with backoff, honouring Retry-After) or permanent (it will
// fail again the same way until someone changes something — and the message says what).
// Ground layer: imports nothing from the rest of the core, so the queue, the store and every
// adapter can share it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errorMessage } from '../../../shared/error-message.ts';

/**
 * retryable: may pass later (timeouts, 408/425/429, 5xx, resets, a busy or full disk);
 * refused: a content policy said no (another prompt or tier may pass);
 * auth / quota / bad_request: permanent until a person fixes a key, a plan or the config.
 */
export type FailureKind = 'retryable' | 'refused' | 'auth' | 'quota' | 'bad_request';

export class AdapterError extends Error {
  readonly kind: FailureKind;
  readonly retryAfterMs: number | null;
  /** What the failed call still cost (some providers bill refusals). */
  readonly costUsd: number;
  constructor(message: string, kind: FailureKind, options?: ErrorOptions & { retryAfterMs?: number | null; costUsd?: number }) {
    super(message, options);
    this.name = 'AdapterError';
    this.kind = kind;
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.costUsd = options?.costUsd ?? 0;
  }
}

export function isTransient(kind: FailureKind): boolean {
  return kind === 'retryable';
}

/** The message of anything thrown, formatted one way everywhere (defined in shared/ so the board uses it too). */
export { errorMessage };

// ---------- HTTP ----------

/** What an HTTP status means, for every API we call. */
export function kindForHttpStatus(status: number): FailureKind {
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retryable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  return 'bad_request';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A server's back-off hint: `retry-after-ms` (OpenAI) or `Retry-After`. */
export function retryAfterFrom(headers: Headers | undefined | null, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** An HTTP answer that was not a success, as an AdapterError of the right kind. */
export function httpFailure(
  label: string,
  status: number,
  detail: string,
  headers?: Headers | null,
  kind = kindForHttpStatus(status),
): AdapterError {
  const text = `${label}: HTTP ${status}${detail ? ` ${oneLine(detail, 300)}` : ''}`;
  return new AdapterError(text, kind, { retryAfterMs: retryAfterFrom(headers) });
}

// ---------- network and file system ----------

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * File-system conditions that clear up on their own or once an operator acts (a permission fixed,
 * space freed, a remount): retried, and shown as a problem meanwhile. Anything else (a bad path,
 * a name too long) will fail again the same way.
 */
const TRANSIENT_FS_CODES = new Set([
  'EACCES',
  'EPERM',
  'EBUSY',
  'EMFILE',
  'ENFILE',
  'ENOSPC',
  'EDQUOT',
  'EAGAIN',
  'EIO',
  'EROFS',
  'ETXTBSY',
]);

/** The errno-style code of an error or of its cause chain (undici nests it), if any. */
export function errorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== null && NETWORK_CODES.has(code)) return true;
  // undici: TypeError('fetch failed') with the socket error as its cause
  return error instanceof TypeError && /fetch failed|terminated|other side closed/i.test(error.message);
}

export function kindForFsError(error: unknown): FailureKind {
  const code = errorCode(error);
  return code !== null && TRANSIENT_FS_CODES.has(code) ? 'retryable' : 'bad_request';
}

export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    code === 'ERR_SQLITE_FULL' ||
    /database or disk is full|SQLITE_FULL/i.test(errorMessage(error))
  );
}

/**
 * The database cannot be reached for now (PostgreSQL restarting, failing over, refusing connections):
 * a fault of the machine, not of the job, that clears by itself. SQLSTATE class 08 is a connection
 * exception; 57P01–57P03 an administrator or crash shutdown, or a server still starting; 53300 no
 * connection slot free.
 */
export function isStoreUnreachable(error: unknown): boolean {
  const code = errorCode(error);
  if (
    code !== null &&
    (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300' || code === 'ECONNREFUSED' || code === 'ECONNRESET')
  )
    return true;
  return /connection terminated|lost during this transaction|timeout exceeded when trying to connect|ECONNREFUSED|Connection ended unexpectedly/i.test(
    errorMessage(error),
  );
}

/** A file-system failure as an AdapterError that names the path and what the code means. */
export function fsFailure(what: string, error: unknown): AdapterError {
  const code = errorCode(error) ?? 'unknown';
  return new AdapterError(`${what} failed: ${FS_MEANINGS[code] ?? code}`, kindForFsError(error), { cause: error });
}

const FS_MEANINGS: Record<string, string> = {
  EACCES: 'permission denied (EACCES); check the folder’s owner and permissions',
  EPERM: 'operation not permitted (EPERM); check the folder’s owner and permissions',
  ENOSPC: 'the disk is full (ENOSPC); free some space',
  EDQUOT: 'the disk quota is used up (EDQUOT); free some space',
  EROFS: 'the file system is read-only (EROFS)',
  EMFILE: 'too many open files (EMFILE)',
  ENFILE: 'too many open files on this machine (ENFILE)',
  EBUSY: 'the file is busy (EBUSY)',
  ENOENT: 'no such file or folder (ENOENT)',
};

/**
 * Anything thrown, classified: AdapterErrors keep their kind; network and file-system errors use
 * the tables above; a caller's abort is not a failure of the system we called (the caller decides).
 */
export function classifyError(error: unknown): { kind: FailureKind; message: string; retryAfterMs: number | null } {
  if (error instanceof AdapterError) return { kind: error.kind, message: error.message, retryAfterMs: error.retryAfterMs };
  if (isNetworkError(error)) return { kind: 'retryable', message: errorMessage(error), retryAfterMs: null };
  if (errorCode(error) !== null && !isNetworkError(error)) {
    const kind = kindForFsError(error);
    if (kind === 'retryable') return { kind, message: errorMessage(error), retryAfterMs: null };
  }
  // unknown errors are retried: a bug shows up as a visible, retrying job rather than a silent drop
  return { kind: 'retryable', message: errorMessage(error), retryAfterMs: null };
}

// ---------- calls with a deadline ----------

export interface DeadlineSignal {
  signal: AbortSignal;
  /** True when our own deadline fired (not the caller's abort). */
  timedOut(): boolean;
}

/** The caller's signal plus our own deadline; tells the two apart afterwards. */
export function withDeadline(callerSignal: AbortSignal | undefined, timeoutMs: number): DeadlineSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
  return { signal, timedOut: () => deadline.aborted && !(callerSignal?.aborted ?? false) };
}

/**
 * An error thrown while a call was in flight (connect, body read) as the failure it is: the
 * caller's own abort propagates unchanged; our deadline and network trouble are retryable.
 */
export function inFlightFailure(
  label: string,
  error: unknown,
  call: DeadlineSignal,
  callerSignal?: AbortSignal,
  timeoutMs?: number,
): unknown {
  if (error instanceof AdapterError) return error;
  if (callerSignal?.aborted) return callerSignal.reason;
  if (call.timedOut()) return new AdapterError(`${label}: no answer within ${timeoutMs ?? '?'} ms`, 'retryable', { cause: error });
  const code = errorCode(error);
  return new AdapterError(`${label}: network error (${code ?? oneLine(errorMessage(error), 120)})`, 'retryable', { cause: error });
}

export interface FetchOptions {
  label: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** fetch with a deadline; network trouble and timeouts become retryable AdapterErrors. */
export async function fetchWithDeadline(
  url: string | URL,
  init: RequestInit,
  options: FetchOptions,
): Promise<{ response: Response; call: DeadlineSignal }> {
  const call = withDeadline(options.signal, options.timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: call.signal });
    return { response, call };
  } catch (error) {
    throw inFlightFailure(options.label, error, call, options.signal, options.timeoutMs);
  }
}

/** The whole body as text or bytes, still under the call's deadline. */
export async function readResponse(response: Response, as: 'text', options: FetchOptions & { call: DeadlineSignal }): Promise<string>;
export async function readResponse(response: Response, as: 'bytes', options: FetchOptions & { call: DeadlineSignal }): Promise<Buffer>;
export async function readResponse(
  response: Response,
  as: 'text' | 'bytes',
  options: FetchOptions & { call: DeadlineSignal },
): Promise<string | Buffer> {
  try {
    return as === 'text' ? await response.text() : Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw inFlightFailure(options.label, error, options.call, options.signal, options.timeoutMs);
  }
}

// ---------- what we receive ----------

/**
 * A request body, or null once it passes `limit` bytes (the rest is not buffered; the caller
 * answers 413 and closes the connection).
 */
export function readBodyLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        req.pause();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks));
      settled = true;
    });
    req.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
  });
}

/** Constant time and length-blind (both sides hashed first), for tokens and shared secrets. */
export function constantTimeEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

// ---------- text we keep ----------

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Text from another system (an error body) with anything key-like removed before we store or show it. */
export function redactKeys(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return (
    out
      // OpenAI-style keys, and Replicate / Hugging Face / GitHub / Slack tokens
      .replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, '$1-[redacted]')
      .replace(/\b(?:r8|hf|ghp|gho|xox[abp])_[A-Za-z0-9_-]{8,}/g, '[redacted]')
      .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]')
      // "api_key": "…", token=…, secret: …
      // (a separator is required: "secret 'openai'" names a secret, it does not hold one)
      .replace(
        /\b(api[_-]?key|access[_-]?key|token|secret|password|signature)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}/gi,
        '$1$2[redacted]',
      )
      // long opaque strings are tokens more often than words; hex digests (content hashes) are kept
      .replace(/\b[A-Za-z0-9_-]{40,}\b/g, (match) => (/^[0-9a-f]+$/i.test(match) ? match : '[redacted]'))
  );
}
