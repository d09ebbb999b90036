// The HTTP side of the Fusion API client: one rate limiter per (base URL, datasheet, token),
// p-retry for what may pass later, and the envelope check that turns HTTP 200 with
// `success:false` into a typed error, never data.
import { createHash } from 'node:crypto';
import pRetry from 'p-retry';
import pThrottle from 'p-throttle';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdapterError, kindForHttpStatus, retryAfterFrom, withDeadline, errorMessage } from '../../base/failures.ts';
import type { AdapterErrorKind } from '../types.ts';
import type { AitableConfig, AitableDeps } from './config.ts';
import { EnvelopeSchema } from './responses.ts';

/** An AdapterError that also says what AITable answered (HTTP status, body code). */
export class AitableError extends AdapterError {
  readonly status: number | null;
  readonly code: number | null;
  constructor(
    message: string,
    kind: AdapterErrorKind,
    status: number | null,
    code: number | null,
    options?: ErrorOptions & { retryAfterMs?: number | null },
  ) {
    super(message, kind, options);
    this.name = 'AitableError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The server counts arrivals in fixed 1-s windows; we can only space departures. A request
 * that travels slower than the ones after it (a new connection, say) would let N+1 arrive in
 * one window, so each window is widened by this margin.
 */
const WINDOW_MARGIN_MS = 200;

type Gate = <T>(task: () => Promise<T>) => Promise<T>;
const gates = new Map<string, Gate>();

/** One limiter per (host, datasheet, token): that is the server's counter key. */
function gateFor(config: AitableConfig, token: string): Gate {
  const tokenHash = createHash('sha256').update(token).digest('hex').slice(0, 16);
  const key = `${config.baseUrl}|${config.datasheetId}|${tokenHash}|${config.requestsPerSecond}`;
  let gate = gates.get(key);
  if (!gate) {
    // strict: never more than N in any sliding second, so the server's fixed windows hold too
    const throttle = pThrottle({ limit: config.requestsPerSecond, interval: 1000 + WINDOW_MARGIN_MS, strict: true });
    // needed under tsconfig.node.json (nodenext), where p-throttle's typings lose the generic; the lint's editor program does not
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    gate = throttle(<T>(task: () => Promise<T>): Promise<T> => task()) as Gate;
    gates.set(key, gate);
  }
  return gate;
}

/** AITable's own body codes; the rest mean what the same HTTP status means (the one status policy). */
function kindForBodyCode(code: number): AdapterErrorKind {
  if (code === 211 || code === 212 || code === 214) return 'retryable'; // a create/update/delete command failed server-side
  if (code === 602) return 'auth'; // no permission on the node
  if (code === 426 || code === 428) return 'quota'; // attachment capacity
  return kindForHttpStatus(code);
}

/** A Retry-After beyond this is left to the caller's durable retry (the outbox, the next poll). */
const MAX_RETRY_AFTER_MS = 30_000;

export interface SendOptions {
  query?: URLSearchParams;
  json?: unknown;
  form?: FormData;
  timeoutMs?: number;
}

export type Send = (what: string, method: string, path: string, options: SendOptions, signal?: AbortSignal) => Promise<unknown>;

export function createTransport(config: AitableConfig, deps: AitableDeps): Send {
  const base = config.baseUrl.replace(/\/+$/, '');

  function token(): string {
    const value = deps.secrets.get(config.tokenSecret);
    if (!value) throw new AitableError(`AITable: API token secret "${config.tokenSecret}" is not set`, 'auth', null, null);
    return value;
  }

  async function attempt(what: string, method: string, path: string, options: SendOptions, signal?: AbortSignal): Promise<unknown> {
    const bearer = token();
    return gateFor(
      config,
      bearer,
    )(async () => {
      signal?.throwIfAborted();
      const url = `${base}${path}${options.query?.size ? `?${options.query.toString()}` : ''}`;
      const headers: Record<string, string> = { Authorization: `Bearer ${bearer}`, Accept: 'application/json' };
      if (options.json !== undefined) headers['Content-Type'] = 'application/json';
      const call = withDeadline(signal, options.timeoutMs ?? config.requestTimeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
          signal: call.signal,
        });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const why = call.timedOut() ? `no answer within ${options.timeoutMs ?? config.requestTimeoutMs} ms` : errorMessage(error);
        throw new AitableError(`AITable ${what}: network error (${why})`, 'retryable', null, null, { cause: error });
      }
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // a proxy's HTML error page: judged by the HTTP status below
      }
      const envelope = EnvelopeSchema.safeParse(body);
      const serverMessage = envelope.success ? (envelope.data.message ?? '') : '';
      if (!response.ok) {
        const hint = response.status === 404 ? ' (unknown route: check baseUrl)' : '';
        throw new AitableError(
          `AITable ${what}: HTTP ${response.status}${serverMessage ? ` ${serverMessage}` : ''}${hint}`,
          kindForHttpStatus(response.status),
          response.status,
          envelope.success ? envelope.data.code : null,
          { retryAfterMs: retryAfterFrom(response.headers) },
        );
      }
      if (!envelope.success) {
        // a proxy's error page or a cut-off body: the server did not really answer; try again later
        throw new AitableError(
          `AITable ${what}: reply is not a Fusion API envelope (HTTP ${response.status}, ${text.length} bytes)`,
          'retryable',
          response.status,
          null,
        );
      }
      if (!envelope.data.success) {
        const { code } = envelope.data;
        throw new AitableError(
          `AITable ${what}: ${serverMessage || 'request failed'} (code ${code})`,
          kindForBodyCode(code),
          response.status,
          code,
        );
      }
      return envelope.data.data;
    });
  }

  /** Retries only what may pass later (429, 5xx, network); everything else fails at once. */
  async function send(what: string, method: string, path: string, options: SendOptions, signal?: AbortSignal): Promise<unknown> {
    let attempts = 0;
    try {
      return await pRetry(
        () => {
          attempts += 1;
          return attempt(what, method, path, options, signal);
        },
        {
          retries: config.retry.retries,
          minTimeout: config.retry.minTimeoutMs,
          maxTimeout: config.retry.maxTimeoutMs,
          randomize: true,
          signal,
          shouldRetry: ({ error }) => error instanceof AdapterError && error.kind === 'retryable',
          onFailedAttempt: async ({ error, retriesLeft }) => {
            if (retriesLeft > 0 && error instanceof AdapterError && error.kind === 'retryable') {
              deps.logger?.debug({ what, error: error.message, retriesLeft }, 'AITable request failed; retrying');
              // the server said how long to wait: honour it (p-retry's own backoff follows)
              if (error.retryAfterMs) await sleep(Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS), undefined, { signal });
            }
          },
        },
      );
    } catch (error) {
      if (error instanceof AitableError && error.kind === 'retryable' && attempts > 1) {
        const retryAfterMs = error.retryAfterMs;
        throw new AitableError(`${error.message}; gave up after ${attempts} attempts`, 'retryable', error.status, error.code, {
          cause: error,
          retryAfterMs,
        });
      }
      throw error;
    }
  }

  return send;
}
