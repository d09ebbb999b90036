// The relay benchmark's baseline: the least a WebSocket broadcast server can do with `ws` —
// accept readers, take a POST /publish and send the same frame to every socket. No auth, no
// history, no durable write: whatever the relay spends beyond this is its own cost.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface BroadcastTarget {
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

export async function startBareBroadcast(): Promise<BroadcastTarget> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const readers = new Set<WebSocket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const frame = Buffer.from(JSON.stringify({ type: 'article', message }));
      for (const ws of readers) ws.send(frame, { binary: false });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      readers.add(ws);
      ws.on('close', () => readers.delete(ws));
    }),
  );
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stop: async () => {
      for (const ws of readers) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
