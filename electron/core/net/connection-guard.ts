// Caps the connections one HTTP server holds, in total and per peer address. At a cap, a new
// connection first pushes out the oldest connection that is only waiting (no request yet, a
// half-sent request, an idle keep-alive): that is what idle floods and slow clients look like,
// while a real client sends its request at once. Busy requests and WebSockets are never pushed
// out; when nothing can be, the newcomer is closed instead.
import { isIPv4 } from 'node:net';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  maxConnections: number;
  /** Connections one peer address may hold. */
  maxPerAddress: number;
  /**
   * Loopback peers share only the total cap (default true): a local reverse proxy or the
   * machine's own browser and Hero Desk itself all arrive from 127.0.0.1.
   */
  exemptLoopback?: boolean;
  /** Count WebSocket upgrades as long-lived (servers with an upgrade handler). */
  tracksUpgrades?: boolean;
}

export interface ConnectionStats {
  open: number;
  waiting: number;
  upgraded: number;
  /** Waiting connections closed to make room. */
  evicted: number;
  /** New connections closed because nothing could make room. */
  refused: number;
}

export interface ConnectionGuard {
  stats(): ConnectionStats;
  /** Connections this address holds now. */
  countFor(address: string): number;
}

type State = 'waiting' | 'busy' | 'upgraded';
interface Entry {
  socket: Socket;
  address: string;
  state: State;
}

export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}

/** Per-address caps default to an eighth of the total, so one peer can never hold it all. */
export function defaultPerAddress(maxConnections: number): number {
  return Math.max(4, Math.floor(maxConnections / 8));
}

export function guardConnections(server: Server, limits: ConnectionLimits): ConnectionGuard {
  const exemptLoopback = limits.exemptLoopback ?? true;
  const entries = new Map<Socket, Entry>();
  // Waiting connections, oldest first (a Map keeps insertion order; re-inserting moves to the end).
  const waiting = new Map<Socket, Entry>();
  const perAddress = new Map<string, number>();
  const counts = { evicted: 0, refused: 0, upgraded: 0 };

  const setState = (entry: Entry, state: State): void => {
    if (entry.state === 'upgraded') return;
    if (state === 'upgraded') counts.upgraded += 1;
    entry.state = state;
    waiting.delete(entry.socket);
    if (state === 'waiting') waiting.set(entry.socket, entry);
  };

  const oldestWaiting = (address: string | null): Entry | null => {
    for (const entry of waiting.values()) if (address === null || entry.address === address) return entry;
    return null;
  };

  const evict = (entry: Entry): void => {
    counts.evicted += 1;
    forget(entry);
    entry.socket.destroy();
  };

  const forget = (entry: Entry): void => {
    if (!entries.delete(entry.socket)) return;
    waiting.delete(entry.socket);
    if (entry.state === 'upgraded') counts.upgraded -= 1;
    const left = (perAddress.get(entry.address) ?? 1) - 1;
    if (left > 0) perAddress.set(entry.address, left);
    else perAddress.delete(entry.address);
  };

  // shared by every socket (`this`), not a closure per connection
  function onSocketClose(this: Socket): void {
    const entry = entries.get(this);
    if (entry) forget(entry);
  }

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const limited = !(exemptLoopback && isLoopbackAddress(address));
    // make room: first within this address's own share, then in the total
    if (limited && (perAddress.get(address) ?? 0) >= limits.maxPerAddress) {
      const victim = oldestWaiting(address);
      if (victim === null) {
        counts.refused += 1;
        socket.destroy();
        return;
      }
      evict(victim);
    }
    if (entries.size >= limits.maxConnections) {
      const victim = oldestWaiting(null);
      if (victim === null) {
        counts.refused += 1;
        socket.destroy();
        return;
      }
      evict(victim);
    }
    const entry: Entry = { socket, address, state: 'waiting' };
    entries.set(socket, entry);
    waiting.set(socket, entry);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    socket.once('close', onSocketClose);
  });

  server.on('request', (req, res) => {
    const entry = entries.get(req.socket);
    if (!entry) return;
    setState(entry, 'busy');
    // back to waiting (an idle keep-alive) once the response is out
    res.once('close', () => {
      if (entries.has(entry.socket) && !entry.socket.destroyed) setState(entry, 'waiting');
    });
  });

  if (limits.tracksUpgrades) {
    // Runs before the owner's upgrade handler is done with the socket: it is long-lived from now on
    // (a refused upgrade closes it, which forgets it).
    server.prependListener('upgrade', (req, socket: Socket) => {
      // the owner's handler is gone (it is shutting down): nobody would answer this socket
      if (server.listenerCount('upgrade') === 1) return socket.destroy();
      const entry = entries.get(socket);
      if (entry) setState(entry, 'upgraded');
    });
  }

  return {
    stats: () => ({
      open: entries.size,
      waiting: waiting.size,
      upgraded: counts.upgraded,
      evicted: counts.evicted,
      refused: counts.refused,
    }),
    countFor: (address) => perAddress.get(address) ?? 0,
  };
}
