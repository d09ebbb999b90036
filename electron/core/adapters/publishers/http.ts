// The one HTTP call publishers make (POST JSON) and how its failures map onto AdapterError kinds.
import { AdapterError } from '../types.ts';
import { parseRetryAfter } from '../retry-after.ts';
export { parseRetryAfter };

export interface HttpReply {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * POSTs `body` verbatim (callers sign the exact bytes). Redirects are not followed: fetch would turn
 * a 301/302 POST into a GET, silently dropping the publication.
 */
export async function postJson(
  label: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: combined,
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (signal?.aborted) throw new AdapterError(`${label}: publish cancelled`, 'retryable', { cause: error });
    const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : 'network error';
    const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
    throw new AdapterError(`${label}: ${reason}${code ? ` (${code})` : ''}`, 'retryable', { cause: error });
  }
}

/** Non-2xx HTTP status → AdapterError. 408/429/5xx retry; 401/403 are auth; other 4xx and 3xx won't fix themselves. */
export function httpStatusError(label: string, reply: HttpReply): AdapterError {
  const { status } = reply;
  const snippet = reply.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const text = `${label}: HTTP ${status}${snippet ? ` ${snippet}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    return new AdapterError(text, 'retryable', { retryAfterMs: parseRetryAfter(reply.headers.get('retry-after')) });
  }
  if (status === 401 || status === 403) return new AdapterError(text, 'auth');
  if (status >= 300 && status < 400) {
    return new AdapterError(`${label}: HTTP ${status} redirect to ${reply.headers.get('location') ?? '?'}; configure the final URL`, 'bad_request');
  }
  return new AdapterError(text, 'bad_request');
}
