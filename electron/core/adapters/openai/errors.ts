// Maps whatever the OpenAI SDK throws onto the queue's AdapterError kinds.
// Messages are redacted: a 401 body echoes part of the key ("Incorrect API key provided: sk-ab…yz").
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from 'openai/core/error';
import { AdapterError, kindForHttpStatus, redactKeys, retryAfterFrom, errorMessage } from '../../base/failures.ts';

const POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation']);
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);

/** Removes anything that looks like an API key, plus the exact key when known. */
export function redact(text: string, apiKey?: string): string {
  return redactKeys(text, [apiKey]);
}

/** Server-suggested wait from `retry-after-ms` or `retry-after` (seconds or HTTP date). */
export const retryAfterMsFrom = retryAfterFrom;

/** OpenAI documents 409 (a lock conflict) as safe to retry; otherwise the one status policy. */
function kindForOpenAIStatus(status: number) {
  return status === 409 ? 'retryable' : kindForHttpStatus(status);
}

/**
 * @param what short description of the call, e.g. "OpenAI images (gpt-image-2)"
 * @param apiKey the key in use, only so it can be scrubbed from messages
 */
export function classifyOpenAIError(err: unknown, what: string, apiKey?: string): AdapterError {
  if (err instanceof AdapterError) return err;
  const clean = (m: string): string => redact(m, apiKey);

  // Order matters: timeout and abort are subclasses of APIError/APIConnectionError.
  if (err instanceof APIConnectionTimeoutError) {
    return new AdapterError(`${what}: request timed out`, 'retryable', { cause: err });
  }
  if (err instanceof APIUserAbortError) {
    return new AdapterError(`${what}: request aborted`, 'retryable', { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new AdapterError(`${what}: connection failed (${clean(err.message)})`, 'retryable', { cause: err });
  }
  if (err instanceof LengthFinishReasonError) {
    return new AdapterError(`${what}: output was cut off (length limit)`, 'retryable', { cause: err });
  }
  if (err instanceof ContentFilterFinishReasonError) {
    return new AdapterError(`${what}: output blocked by the content filter`, 'refused', { cause: err });
  }
  if (err instanceof APIError) {
    // instanceof narrows to APIError<any, any, any>: name the default type parameters
    const apiError = err as APIError;
    const status = apiError.status ?? 0;
    const code = apiError.code ?? apiError.type ?? '';
    const detail = `${status}${code ? ` ${code}` : ''}`;
    const requestId = apiError.requestID ? ` [request ${apiError.requestID}]` : '';
    const message = clean(messageOf(apiError));
    if (POLICY_CODES.has(code)) {
      return new AdapterError(`${what}: refused by the safety system (${detail})${requestId}`, 'refused', { cause: apiError });
    }
    if (status === 401 || status === 403) {
      // Never echo the server's message here: it contains a masked fragment of the key.
      return new AdapterError(`${what}: not authorised (${detail}); check the API key and organisation access${requestId}`, 'auth');
    }
    if (status === 429) {
      if (QUOTA_CODES.has(code) || QUOTA_CODES.has(apiError.type ?? '')) {
        return new AdapterError(`${what}: quota exhausted (${detail})${requestId}`, 'quota', { cause: apiError });
      }
      return new AdapterError(`${what}: rate limited (${detail})${requestId}`, 'retryable', {
        cause: apiError,
        retryAfterMs: retryAfterMsFrom(apiError.headers),
      });
    }
    const kind = kindForOpenAIStatus(status);
    if (kind === 'retryable') {
      return new AdapterError(`${what}: server error (${detail})${requestId}`, 'retryable', {
        cause: apiError,
        retryAfterMs: retryAfterMsFrom(apiError.headers),
      });
    }
    return new AdapterError(`${what}: request rejected (${detail}): ${message}${requestId}`, kind, { cause: apiError });
  }
  const message = errorMessage(err);
  return new AdapterError(`${what}: ${clean(message)}`, 'retryable', { cause: err });
}

function messageOf(err: APIError): string {
  const body = err.error;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return err.message;
}
