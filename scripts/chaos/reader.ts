// The independent reader: a raw `ws` client on the relay, speaking the reader script's protocol
// (since=<last seq>&epoch=<last epoch>, reconnect with backoff). Unlike the reader script it
// filters nothing: every article frame it receives is recorded, so a repeat is visible.
import { appendFileSync } from 'node:fs';
import WebSocket from 'ws';

export interface Delivery {
  articleId: string;
  version: number;
  kind: string;
  seq: number;
  epoch: string | null;
  at: number;
  imageUrl: string | null;
}

export interface Hello {
  epoch: string;
  seq: number;
  gap: boolean;
  at: number;
}

export interface IndependentReader {
  readonly deliveries: Delivery[];
  readonly hellos: Hello[];
  stop(): Promise<void>;
}

export function startReader(url: string, logPath: string): IndependentReader {
  const deliveries: Delivery[] = [];
  const hellos: Hello[] = [];
  let lastSeq = 0;
  let epoch: string | null = null;
  let attempt = 0;
  let socket: WebSocket | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const record = (entry: object) => appendFileSync(logPath, `${JSON.stringify(entry)}\n`);

  function receive(data: string): void {
    let frame: { type?: string; epoch?: string; seq?: number; gap?: boolean; message?: Record<string, unknown> };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      record({ at: Date.now(), unparsable: data.slice(0, 200) });
      return;
    }
    if (frame.type === 'hello') {
      if (epoch !== null && frame.epoch !== epoch) lastSeq = 0; // a new epoch: positions start over
      epoch = frame.epoch ?? null;
      attempt = 0;
      const hello = { epoch: String(frame.epoch), seq: Number(frame.seq ?? 0), gap: frame.gap === true, at: Date.now() };
      hellos.push(hello);
      record({ hello });
      return;
    }
    if (frame.type !== 'article' || !frame.message) return;
    if (typeof frame.seq === 'number' && frame.seq > lastSeq) lastSeq = frame.seq;
    const m = frame.message;
    const delivery: Delivery = {
      articleId: String(m.articleId),
      version: Number(m.version),
      kind: String(m.kind),
      seq: Number(frame.seq ?? -1),
      epoch,
      at: Date.now(),
      imageUrl: typeof m.imageUrl === 'string' ? m.imageUrl : null,
    };
    deliveries.push(delivery);
    record({ delivery });
  }

  function open(): void {
    timer = null;
    if (stopped) return;
    const target = `${url}?since=${lastSeq}${epoch ? `&epoch=${encodeURIComponent(epoch)}` : ''}`;
    const ws = new WebSocket(target);
    socket = ws;
    ws.on('message', (data: Buffer) => receive(data.toString('utf8')));
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => {
      if (socket === ws) socket = null;
      if (!stopped) schedule();
    });
  }

  function schedule(): void {
    if (stopped || timer) return;
    const ceiling = Math.min(2_000, 200 * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(open, ceiling / 2 + Math.random() * (ceiling / 2));
  }

  open();
  return {
    deliveries,
    hellos,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        await new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(resolve, 1_000).unref();
        });
      }
    },
  };
}

/**
 * A reader page opened at the end of the run (since=0, no epoch): what the relay replays to a
 * newcomer. After relay restarts it should still be the current published set.
 */
export async function lateReaderSnapshot(url: string, settleMs = 1_500): Promise<Delivery[] | string> {
  return new Promise((resolve) => {
    const got: Delivery[] = [];
    let epoch: string | null = null;
    const ws = new WebSocket(`${url}?since=0`);
    const finish = (result: Delivery[] | string) => {
      clearTimeout(timeout);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(result);
    };
    const timeout = setTimeout(() => finish('the relay sent no hello within 10 s'), 10_000);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; epoch?: string; seq?: number; message?: Record<string, unknown> };
      if (frame.type === 'hello') {
        epoch = frame.epoch ?? null;
        setTimeout(() => finish(got), settleMs);
        return;
      }
      if (frame.type !== 'article' || !frame.message) return;
      const m = frame.message;
      got.push({
        articleId: String(m.articleId),
        version: Number(m.version),
        kind: String(m.kind),
        seq: Number(frame.seq ?? -1),
        epoch,
        at: Date.now(),
        imageUrl: null,
      });
    });
    ws.on('error', (error) => finish(`could not connect: ${error.message}`));
  });
}
