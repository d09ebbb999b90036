// Small helpers every HTTP image provider shares: deps, timeouts, fetch with error classification,
// all on the one failure policy in core/failures.ts. Rule of thumb: a caller's abort is re-thrown as
// is (the queue cancelled on purpose); everything else becomes an AdapterError so the queue knows
// whether to retry, fall back or give up.
import {
  AdapterError,
  httpFailure,
  inFlightFailure,
  kindForHttpStatus,
  oneLine,
  parseRetryAfter,
  withDeadline,
  type DeadlineSignal,
} from '../../base/failures.ts';
import type { AdapterLogger, AdapterServices, SecretStore } from '../types.ts';
export { parseRetryAfter };

export type ProviderLogger = Pick<AdapterLogger, 'debug' | 'warn'>;
export type ProviderDeps = AdapterServices<'debug' | 'warn'>;

export const silentLogger: ProviderLogger = { debug: () => {}, warn: () => {} };

/** The caller's signal plus our own deadline (failures.ts); tells the two apart afterwards. */
export type CallSignal = DeadlineSignal;
export const callSignal = withDeadline;

/** Look a secret up by name; a missing one is an auth problem, reported without any value. */
export function requireSecret(secrets: SecretStore, name: string, provider: string): string {
  const value = secrets.get(name);
  if (value === undefined || value === '') {
    throw new AdapterError(`${provider}: secret "${name}" is not set`, 'auth');
  }
  return value;
}

/** The one HTTP status policy (failures.ts). */
export const kindForStatus = kindForHttpStatus;

export function httpError(provider: string, res: Response, detail: string, kind = kindForHttpStatus(res.status)): AdapterError {
  return httpFailure(provider, res.status, detail, res.headers, kind);
}

export const truncate = oneLine;

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
    throw inFlightFailure(provider, error, call, callerSignal);
  }
}

/** Classify an error thrown while a call was in flight (fetch, body read, sleep). */
export function toAdapterError(provider: string, error: unknown, call: CallSignal, callerSignal?: AbortSignal): unknown {
  return inFlightFailure(provider, error, call, callerSignal);
}

/** Read a body while still honouring the call's signal (undici aborts the stream too). */
export async function readBytes(provider: string, res: Response, call: CallSignal, callerSignal?: AbortSignal): Promise<Buffer> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (error) {
    throw inFlightFailure(provider, error, call, callerSignal);
  }
}

export async function readText(provider: string, res: Response, call: CallSignal, callerSignal?: AbortSignal): Promise<string> {
  try {
    return await res.text();
  } catch (error) {
    throw inFlightFailure(provider, error, call, callerSignal);
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

/**
 * A JSON answer carrying one image as a base64 string under `key` (A1111's `"images": ["…"]`). The
 * string is found by byte search and decoded straight from the body; only the rest (a few hundred
 * bytes) goes through JSON.parse, with the string left empty. Decoding 4 MB to text and parsing it
 * whole held the event loop 15–30 ms per image. A string with an escape in it (base64 has none, but
 * a server may write `\/`), or no such key, is parsed whole as before: `image` is then null.
 */
export function parseJsonLiftingImage(provider: string, body: Buffer, key: string): { json: unknown; image: string | null } {
  const span = base64Span(body, key);
  if (!span) return { json: parseJson(provider, body.toString('utf8')), image: null };
  const rest = Buffer.concat([body.subarray(0, span.start), body.subarray(span.end)]);
  return { json: parseJson(provider, rest.toString('utf8')), image: body.toString('latin1', span.start, span.end) };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Byte range of the first string value of `key` (or the first string of its array), when it holds no escape. */
function base64Span(body: Buffer, key: string): { start: number; end: number } | null {
  const name = Buffer.from(`"${key}"`);
  for (let at = body.indexOf(name); at !== -1; at = body.indexOf(name, at + 1)) {
    let i = skipSpace(body, at + name.length);
    if (body[i] !== 0x3a) continue; // not a key: the same word as a value
    i = skipSpace(body, i + 1);
    if (body[i] === 0x5b) i = skipSpace(body, i + 1); // [
    if (body[i] !== QUOTE) return null;
    const end = body.indexOf(QUOTE, i + 1);
    if (end === -1) return null;
    const escaped = body.indexOf(BACKSLASH, i + 1);
    return escaped !== -1 && escaped < end ? null : { start: i + 1, end };
  }
  return null;
}

function skipSpace(body: Buffer, i: number): number {
  while (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09) i++;
  return i;
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
