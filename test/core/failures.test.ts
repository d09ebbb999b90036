// The one failure policy: every kind of fault (HTTP status, network, file system) is transient or
// permanent by one table, and the adapters agree with it.
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  AdapterError,
  classifyError,
  constantTimeEqual,
  isDiskFull,
  kindForFsError,
  kindForHttpStatus,
  readBodyLimited,
  redactKeys,
} from '../../electron/core/base/failures.ts';
import { httpStatusError } from '../../electron/core/adapters/publishers/http.ts';
import { kindForStatus } from '../../electron/core/adapters/providers/http.ts';
import { classifyOpenAIError } from '../../electron/core/adapters/openai/errors.ts';

const fsError = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('the one failure policy', () => {
  it('HTTP: timeouts, 425, 429 and 5xx are transient; keys, plans and requests are permanent', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) expect(kindForHttpStatus(status), String(status)).toBe('retryable');
    expect(kindForHttpStatus(401)).toBe('auth');
    expect(kindForHttpStatus(403)).toBe('auth');
    expect(kindForHttpStatus(402)).toBe('quota');
    for (const status of [400, 404, 410, 422]) expect(kindForHttpStatus(status), String(status)).toBe('bad_request');
  });

  it('every HTTP-speaking adapter follows the same table (a 408 is retried everywhere)', () => {
    const headers = new Headers({ 'retry-after': '7' });
    for (const status of [408, 425, 429, 503]) {
      expect(kindForStatus(status)).toBe('retryable');
      expect(httpStatusError('webhook', { status, headers, body: '' }).kind).toBe('retryable');
    }
    expect(httpStatusError('webhook', { status: 429, headers, body: '' }).retryAfterMs).toBe(7000);
    expect(
      httpStatusError('webhook', { status: 302, headers: new Headers({ location: 'https://x.example/' }), body: '' }).message,
    ).toContain('configure the final URL');
    expect(classifyOpenAIError(new Error('socket hang up'), 'OpenAI').kind).toBe('retryable');
  });

  it('file system: a permission, a busy file, too many open files and a full disk are transient; a bad path is not', () => {
    for (const code of ['EACCES', 'EPERM', 'EBUSY', 'EMFILE', 'ENFILE', 'ENOSPC', 'EROFS'])
      expect(kindForFsError(fsError(code)), code).toBe('retryable');
    for (const code of ['ENAMETOOLONG', 'EISDIR', 'ENOENT']) expect(kindForFsError(fsError(code)), code).toBe('bad_request');
    expect(isDiskFull(fsError('ENOSPC'))).toBe(true);
    expect(isDiskFull(new Error('database or disk is full'))).toBe(true);
  });

  it('network: a reset or a refused connection is transient, found even when undici nests it', () => {
    const nested = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect(classifyError(nested).kind).toBe('retryable');
    expect(classifyError(fsError('ECONNREFUSED')).kind).toBe('retryable');
    expect(classifyError(new AdapterError('bad key', 'auth')).kind).toBe('auth');
  });

  it('redacts key-like text from other systems, keeping hashes and plain words', () => {
    const text = redactKeys(
      'Incorrect API key provided: sk-proj-Ab12Cd34Ef56****Wx9z; Authorization: Bearer abc.def.ghi123; api_key=XYZ12345678; hash 0123456789abcdef0123456789abcdef0123456789abcdef',
      ['verysecret'],
    );
    expect(text).not.toContain('Ab12Cd34');
    expect(text).not.toContain('abc.def.ghi123');
    expect(text).not.toContain('XYZ12345678');
    expect(text).toContain('0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(redactKeys('the verysecret value', ['verysecret'])).toBe('the [redacted] value');
    // a secret's *name* is the next step, not a secret
    expect(redactKeys("no API key in secret 'openai-newsroom'")).toBe("no API key in secret 'openai-newsroom'");
  });

  it('compares secrets in constant time, length-blind', () => {
    expect(constantTimeEqual('token-1', 'token-1')).toBe(true);
    expect(constantTimeEqual('token-1', 'token-12')).toBe(false);
    expect(constantTimeEqual(null, 'token-1')).toBe(false);
  });

  it('reads a body up to a limit, and stops buffering past it', async () => {
    const request = (chunks: string[], length?: number) =>
      Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
        headers: length === undefined ? {} : { 'content-length': String(length) },
      }) as unknown as IncomingMessage;
    expect(String(await readBodyLimited(request(['ab', 'cd']), 10))).toBe('abcd');
    expect(await readBodyLimited(request(['abcdef', 'ghijkl']), 10)).toBeNull();
    expect(await readBodyLimited(request([], 99), 10)).toBeNull(); // declared too large: not read at all
  });
});
