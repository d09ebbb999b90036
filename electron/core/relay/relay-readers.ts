// The reader side of the relay: anonymous, read-only WebSocket connections.
// Protects the relay from its readers: heartbeats reap dead sockets, slow consumers are cut off
// (they catch up on reconnect with since=), and readers that talk are closed.
import { WebSocketServer, WebSocket } from 'ws';
import type { RelayHub } from './relay-hub.ts';

export interface RelayLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ReaderPoolOptions {
  heartbeatMs: number;
  maxBufferedBytes: number;
  logger: RelayLogger;
}

export interface ReaderStats {
  readers: number;
  droppedSlow: number;
  droppedDead: number;
  droppedChatty: number;
}

export interface ReaderPool {
  readonly wss: WebSocketServer;
  /** Take over an upgraded socket: send hello + catch-up, then live frames. */
  admit(ws: WebSocket, since: number, epoch: string | null): void;
  broadcast(frame: string): void;
  stats(): ReaderStats;
  close(): Promise<void>;
}

// Readers have nothing to say; a few stray frames are tolerated (some proxies/tools send them).
const READER_FRAME_LIMIT = 20;
const READER_BYTE_LIMIT = 16 * 1024;

interface ReaderState {
  alive: boolean;
  inboundFrames: number;
  inboundBytes: number;
}

export function createReaderPool(hub: RelayHub, options: ReaderPoolOptions): ReaderPool {
  // maxPayload: one oversized frame from a reader closes it (1009) before it is buffered.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const readers = new Map<WebSocket, ReaderState>();
  const counts = { droppedSlow: 0, droppedDead: 0, droppedChatty: 0 };

  const send = (ws: WebSocket, frame: string | Buffer): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount <= options.maxBufferedBytes) ws.send(frame, { binary: false });
    // Checked after queuing too: a socket whose kernel buffer is full keeps the frame in user space.
    if (ws.bufferedAmount > options.maxBufferedBytes) {
      counts.droppedSlow += 1;
      options.logger.warn({ bufferedAmount: ws.bufferedAmount }, 'relay: dropping slow reader');
      ws.terminate();
    }
  };

  const heartbeat = setInterval(() => {
    for (const [ws, state] of readers) {
      if (!state.alive) {
        counts.droppedDead += 1;
        ws.terminate();
        continue;
      }
      state.alive = false;
      state.inboundFrames = 0;
      state.inboundBytes = 0;
      ws.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  // One set of listeners shared by every reader (`this` is the socket), not four closures per
  // socket: with thousands of readers that is memory the relay holds for nothing.
  function onPong(this: WebSocket): void {
    const state = readers.get(this);
    if (state) state.alive = true;
  }
  function onMessage(this: WebSocket, data: Buffer): void {
    const state = readers.get(this);
    if (!state) return;
    state.inboundFrames += 1;
    state.inboundBytes += data.length;
    if (state.inboundFrames > READER_FRAME_LIMIT || state.inboundBytes > READER_BYTE_LIMIT) {
      counts.droppedChatty += 1;
      this.close(1008, 'readers are read-only');
    }
  }
  function onClose(this: WebSocket): void {
    readers.delete(this);
  }
  function onError(this: WebSocket): void {
    this.terminate();
  }

  return {
    wss,
    admit(ws, since, epoch) {
      readers.set(ws, { alive: true, inboundFrames: 0, inboundBytes: 0 });
      ws.on('pong', onPong);
      ws.on('message', onMessage);
      ws.on('close', onClose);
      ws.on('error', onError);
      const plan = hub.replay(since, epoch);
      send(ws, JSON.stringify(plan.hello));
      for (const frame of plan.frames) send(ws, frame);
    },
    broadcast(frame) {
      const bytes = Buffer.from(frame); // encode once, not once per reader
      for (const ws of readers.keys()) send(ws, bytes);
    },
    stats: () => ({ readers: readers.size, ...counts }),
    async close() {
      clearInterval(heartbeat);
      const open = [...readers.keys()];
      for (const ws of open) ws.close(1001, 'relay stopping');
      // Give close frames a moment to go out, then cut whatever is left.
      await Promise.race([
        Promise.all(
          open.map(
            (ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve()))),
          ),
        ),
        new Promise((resolve) => setTimeout(resolve, 500).unref()),
      ]);
      for (const ws of readers.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
