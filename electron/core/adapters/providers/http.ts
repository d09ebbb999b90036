// Small helpers every HTTP image provider shares: deps, timeouts, fetch with error classification.
// Rule of thumb: a caller's abort is re-thrown as is (the queue cancelled on purpose); everything
// else becomes an AdapterError so the queue knows whether to retry, fall back or give up.
import { AdapterError } from '../types.ts';
import { parseRetryAfter } from '../retry-after.ts';
export { parseRetryAfter };
import type { AdapterErrorKind, AdapterLogger, AdapterServices, SecretStore } from '../types.ts';

export type ProviderLogger = Pick<AdapterLogger, 'debug' | 'warn'>;
export type ProviderDeps = AdapterServices<'debug' | 'warn'>;

export const silentLogger: ProviderLogger = { debug: () => {}, warn: () => {} };

/** The caller's signal plus our own deadline; tells the two apart afterwards. */
export interface CallSignal {
  signal: AbortSignal;
  timedOut(): boolean;
}

export function callSignal(callerSignal: AbortSignal | undefined, timeoutMs: number): CallSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
  return { signal, timedOut: () => deadline.aborted && !(callerSignal?.aborted ?? false) };
}

/** Look a secret up by name; a missing one is an auth problem, reported without any value. */
export function requireSecret(secrets: SecretStore, name: string, provider: string): string {
  const value = secrets.get(name);
  if (value === undefined || value === '') {
    throw new AdapterError(`${provider}: secret "${name}" is not set`, 'auth');
  }
  return value;
}

/** The usual meaning of an HTTP status for an image API. */
export function kindForStatus(status: number): AdapterErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return 'retryable';
  return 'bad_request';
}

export function httpError(provider: string, res: Response, detail: string, kind = kindForStatus(res.status)): AdapterError {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  return new AdapterError(`${provider}: HTTP ${res.status} ${truncate(detail)}`, kind, { retryAfterMs });
}

export function truncate(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * fetch that turns network failures and our timeout into retryable AdapterErrors.
 * The caller's own abort propagates unchanged.
 */
export async function fetchOrThrow(
  provider: string,
  url: string,
  init: RequestInit,
  call: CallSignal,
  callerSignal?: AbortSignal,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: call.signal });
  } catch (error) {
    throw toAdapterError(provider, error, call, callerSignal);
  }
}

/** Classify an error thrown while a call was in flight (fetch, body read, sleep). */
export function toAdapterError(provider: string, error: unknown, call: CallSignal, callerSignal?: AbortSignal): unknown {
  if (error instanceof AdapterError) return error;
  if (callerSignal?.aborted) return callerSignal.reason;
  if (call.timedOut()) return new AdapterError(`${provider}: timed out`, 'retryable', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new AdapterError(`${provider}: network error: ${truncate(message)}`, 'retryable', { cause: error });
}

/** Read a body while still honouring the call's signal (undici aborts the stream too). */
export async function readBytes(provider: string, res: Response, call: CallSignal, callerSignal?: AbortSignal): Promise<Buffer> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (error) {
    throw toAdapterError(provider, error, call, callerSignal);
  }
}

export async function readText(provider: string, res: Response, call: CallSignal, callerSignal?: AbortSignal): Promise<string> {
  try {
    return await res.text();
  } catch (error) {
    throw toAdapterError(provider, error, call, callerSignal);
  }
}

/** Parse JSON we asked for; a server that answers something else is misbehaving (retry later). */
export function parseJson(provider: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdapterError(`${provider}: response is not JSON: ${truncate(text, 120)}`, 'retryable');
  }
}

/** Identify image bytes by their magic numbers; servers mislabel often enough. */
export function sniffImageType(bytes: Buffer): string | null {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

/** Decode a base64 image (bare or a data: URL) and insist it really is an image. */
export function decodeBase64Image(provider: string, b64: string): { bytes: Buffer; contentType: string } {
  const bare = b64.startsWith('data:') ? b64.slice(b64.indexOf(',') + 1) : b64;
  const bytes = Buffer.from(bare, 'base64');
  return { bytes, contentType: requireImage(provider, bytes) };
}

export function requireImage(provider: string, bytes: Buffer): string {
  const type = sniffImageType(bytes);
  if (type === null) throw new AdapterError(`${provider}: response is not a PNG, JPEG or WebP image`, 'retryable');
  return type;
}

export function basicAuthHeader(userColonPass: string): string {
  return `Basic ${Buffer.from(userColonPass, 'utf8').toString('base64')}`;
}

/** Trailing slashes off, so `${base}/path` never doubles up. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** JSON.parse for bodies that might be anything (error pages, proxies). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
