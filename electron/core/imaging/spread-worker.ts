// The local scorer's pixel sums on a worker thread: summing 1792×1024 RGB pixels is 5.5 million
// steps of JavaScript, 30–100 ms of a loaded core that the event loop (board, relay, the next
// card) would otherwise wait out. One worker for the process, started on first use and unref'd;
// the pixels are copied to it (a few ms of memcpy). The worker runs pixel-sums.ts's functions,
// sent as source, so it needs no file of its own (the desktop build bundles the core).
import { Worker } from 'node:worker_threads';
import { channelTotals, sumChannel, sumPixels } from './pixel-sums.ts';

interface Reply {
  id: number;
  totals?: Float64Array;
  error?: string;
}

const SOURCE = `
const { parentPort } = require('node:worker_threads');
${sumPixels.toString()}
${sumChannel.toString()}
${channelTotals.toString()}
parentPort.on('message', ({ id, data, channels }) => {
  try {
    const totals = ${channelTotals.name}(data, channels);
    parentPort.postMessage({ id, totals }, [totals.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve(totals: Float64Array): void; reject(error: Error): void }>();

function started(): Worker {
  if (worker) return worker;
  const made = new Worker(SOURCE, { eval: true, name: 'hero-desk pixel sums' });
  made.unref();
  made.on('message', ({ id, totals, error }: Reply) => {
    const pending = waiting.get(id);
    waiting.delete(id);
    if (totals) pending?.resolve(totals);
    else pending?.reject(new Error(`pixel sums: ${error ?? 'no result'}`));
  });
  // a worker that died takes its pending sums with it; the next call starts a new one
  const fail = (error: Error): void => {
    if (worker === made) worker = null;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  made.on('error', fail);
  made.on('exit', (code) => fail(new Error(`pixel sums worker exited (${code})`)));
  worker = made;
  return made;
}

/** Per channel (sum, sum of squares, maximum) of interleaved 8-bit pixels, computed off the event loop. */
export function sumOnWorker(data: Uint8Array, channels: number): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    try {
      started().postMessage({ id, data, channels });
    } catch (error) {
      waiting.delete(id);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
