// Maps S3 / R2 failures onto AdapterError kinds so the queue knows whether to retry.
import { AdapterError, isNetworkError, kindForHttpStatus } from '../../base/failures.ts';

/** The shape the AWS SDK gives service errors (S3ServiceException) and network errors. */
interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const AUTH_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'Unauthorized',
  'InvalidToken',
  'ExpiredToken',
]);
/** S3 error codes that mean "later", whatever status carried them. */
const RETRYABLE_CODES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeTooSkewed', // a clock fix (NTP) usually clears it; not the editor's fault
  'TimeoutError',
  'AbortError',
]);

function statusOf(error: SdkErrorLike): number | null {
  return error.$metadata?.httpStatusCode ?? null;
}

/** Turns whatever the SDK threw into an AdapterError; `action` says what we were doing ("upload heroes/…"). */
export function classifyR2Error(error: unknown, bucket: string, action: string): AdapterError {
  if (error instanceof AdapterError) return error;
  const e: SdkErrorLike = typeof error === 'object' && error !== null ? error : {};
  const code = e.name ?? e.code ?? 'Error';
  const status = statusOf(e);
  const detail = `${code}${status ? ` (HTTP ${status})` : ''}`;

  if (AUTH_CODES.has(code) || status === 401 || status === 403) {
    return new AdapterError(
      `R2 rejected the credentials for bucket "${bucket}" (${detail}); check the access key id and secret, and that the token may read and write this bucket`,
      'auth',
      { cause: error },
    );
  }
  if (code === 'NoSuchBucket') {
    return new AdapterError(`R2 bucket "${bucket}" does not exist (${detail})`, 'bad_request', { cause: error });
  }
  if ((status !== null && kindForHttpStatus(status) === 'retryable') || RETRYABLE_CODES.has(code) || isNetworkError(error)) {
    return new AdapterError(`R2 ${action} failed, will retry: ${detail}`, 'retryable', { cause: error });
  }
  // No HTTP status at all means the request never got an answer: a network problem.
  if (status === null) {
    return new AdapterError(`R2 ${action} failed (network): ${e.message ?? detail}`, 'retryable', { cause: error });
  }
  return new AdapterError(`R2 ${action} failed: ${detail}${e.message && e.message !== code ? `: ${e.message}` : ''}`, 'bad_request', {
    cause: error,
  });
}

/** HeadObject/HeadBucket answer a missing target with a bare 404 (HEAD responses carry no error body). */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorLike;
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || statusOf(e) === 404;
}
