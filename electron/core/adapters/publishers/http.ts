// The one HTTP call publishers make (POST JSON), on the one failure policy (core/failures.ts).
import { AdapterError, fetchWithDeadline, httpFailure, parseRetryAfter, readResponse } from '../../base/failures.ts';
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
  const options = { label, timeoutMs, signal };
  const { response, call } = await fetchWithDeadline(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, redirect: 'manual' },
    options,
  );
  return { status: response.status, headers: response.headers, body: await readResponse(response, 'text', { ...options, call }) };
}

/** Non-2xx HTTP status → AdapterError through the one status policy; a redirect is a config error naming its target. */
export function httpStatusError(label: string, reply: HttpReply): AdapterError {
  const { status } = reply;
  if (status >= 300 && status < 400) {
    return new AdapterError(
      `${label}: HTTP ${status} redirect to ${reply.headers.get('location') ?? '?'}; configure the final URL`,
      'bad_request',
    );
  }
  return httpFailure(label, status, reply.body.slice(0, 200), reply.headers);
}
