// Raw sockets for limit tests: idle connections, slow (slowloris) clients and one plain request.
import { connect, type Socket } from 'node:net';

export interface HeldSocket {
  socket: Socket;
  closed: Promise<void>;
  isClosed(): boolean;
}

/** A TCP connection that never sends anything (or, slow, trickles a request that never ends). */
export function openIdle(port: number, options: { slow?: boolean; localAddress?: string; host?: string } = {}): Promise<HeldSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: options.host ?? '127.0.0.1', localAddress: options.localAddress });
    let closed = false;
    let trickle: NodeJS.Timeout | null = null;
    const done = new Promise<void>((r) =>
      socket.once('close', () => {
        closed = true;
        if (trickle) clearInterval(trickle);
        r();
      }),
    );
    socket.on('error', () => {});
    socket.on('data', () => {}); // a 408 may arrive before the close
    socket.once('connect', () => {
      if (options.slow) {
        socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        let n = 0;
        trickle = setInterval(() => socket.write(`X-Slow-${n++}: y\r\n`), 200);
      }
      resolve({ socket, closed: done, isClosed: () => closed });
    });
    socket.once('error', reject);
  });
}

export async function closeAll(sockets: HeldSocket[]): Promise<void> {
  for (const held of sockets.splice(0)) held.socket.destroy();
}

/** Resolves once the event loop had a chance to run the server's connection handlers. */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
