// The board over the local bridge: commands are POSTed with the bearer token, events arrive on a
// WebSocket that reconnects with capped, jittered backoff. Every time the socket (re)opens the board
// is resynced from `snapshot`, because events sent while we were away are gone.
// A refused token (401: Hero Desk was restarted and made a new one) is not an outage: the browser
// cannot tell it from a dropped socket, so after a failed (re)connect the bridge is asked once over
// HTTP; a 401 there stops reconnecting and says so ('unauthorized'), since only the new URL helps.
// Only fetch, WebSocket and timers are used here, so the module also runs (and is tested) under Node.
import {
  CommandError,
  CommandErrorSchema,
  EventSchema,
  buildApi,
  type CommandName,
  type HeroDeskApi,
  type HeroEvent,
} from '../../../shared/contract.ts';
import type { Transport, TransportHandlers } from './types.ts';

export interface WebTransportOptions {
  /** The bridge's origin, e.g. http://127.0.0.1:5123 */
  baseUrl: string;
  token: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

async function readDispatchResult(response: Response): Promise<unknown> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new CommandError({ code: 'internal', message: `board server answered ${response.status}` });
  }
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    if (body.ok === true && 'value' in body) return body.value;
    const error = CommandErrorSchema.safeParse('error' in body ? body.error : undefined);
    if (error.success) throw new CommandError(error.data);
  }
  throw new CommandError({ code: 'internal', message: `unexpected answer (${response.status})` });
}

function randomSession(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export const STALE_TOKEN_MESSAGE =
  'this board link is no longer valid (Hero Desk was restarted with a new access token, or your account was revoked): open the Board URL that hero-desk start printed, or ask an admin for a new token';

export function createWebTransport(options: WebTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const initialBackoff = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const listeners = new Set<(event: HeroEvent) => void>();
  let handlers: TransportHandlers | null = null;
  // names this board to the desk for presence (who else is looking); not a secret
  const session = randomSession();
  let unauthorized = false;

  function refused(): void {
    if (unauthorized) return;
    unauthorized = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    ws?.close();
    handlers?.onState('unauthorized');
  }

  async function post(name: CommandName, input: unknown): Promise<Response> {
    try {
      return await fetch(`${base}/api/commands/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new CommandError({ code: 'internal', message: 'board server unreachable' });
    }
  }

  async function call(name: CommandName, input: unknown): Promise<unknown> {
    const response = await post(name, input);
    if (response.status === 401) {
      refused();
      throw new CommandError({ code: 'unauthorized', message: STALE_TOKEN_MESSAGE });
    }
    return readDispatchResult(response);
  }

  /** After a socket failed: is the bridge up but refusing our token? */
  async function tokenRefused(): Promise<boolean> {
    try {
      return (await post('appInfo', {})).status === 401;
    } catch {
      return false; // unreachable: an outage, keep reconnecting
    }
  }

  const api: HeroDeskApi = buildApi(call, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });

  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;

  function connect(handlers: TransportHandlers): void {
    if (unauthorized) return;
    const url = `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(options.token)}&session=${session}`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      handlers.onState('live');
      api.snapshot({}).then(
        (snapshot) => {
          if (socket === ws) handlers.onSnapshot(snapshot);
        },
        (error: unknown) => handlers.onError(error),
      );
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        return;
      }
      const parsed = EventSchema.safeParse(raw);
      if (!parsed.success) return;
      for (const listener of listeners) listener(parsed.data);
    };
    ws.onclose = () => {
      if (socket !== ws || stopped) return;
      socket = null;
      handlers.onState('reconnecting');
      // Full jitter, so many boards do not reconnect in lockstep after a restart.
      const ceiling = Math.min(maxBackoff, initialBackoff * 2 ** failures);
      failures += 1;
      const timer = setTimeout(() => connect(handlers), ceiling / 2 + Math.random() * (ceiling / 2));
      retryTimer = timer;
      void tokenRefused().then((refusedNow) => {
        if (refusedNow && !stopped && retryTimer === timer) refused();
      });
    };
  }

  return {
    kind: 'web',
    api,
    session,
    start(given) {
      stopped = false;
      handlers = given;
      given.onState('connecting');
      connect(given);
    },
    stop() {
      stopped = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}
