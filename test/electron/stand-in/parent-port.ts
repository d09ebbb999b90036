// Loaded with --import into a child the stand-in forks (utility-process.ts): gives it Electron's
// process.parentPort over Node's IPC channel. As in Electron, messages that arrive before a
// listener is added wait for it, and each arrives as a MessageEvent-like { data }.
import { EventEmitter } from 'node:events';

const port = new EventEmitter() as EventEmitter & { postMessage(message: unknown): void };
const waiting: unknown[] = [];
port.postMessage = (message: unknown) => {
  process.send?.(message);
};
port.on('newListener', (event: string) => {
  if (event !== 'message') return;
  queueMicrotask(() => {
    for (const data of waiting.splice(0)) port.emit('message', { data });
  });
});
process.on('message', (data: unknown) => {
  if (port.listenerCount('message') === 0) waiting.push(data);
  else port.emit('message', { data });
});
// Electron ends utility processes with the app; a Node child would outlive its parent otherwise
process.on('disconnect', () => process.exit(0));
(process as { parentPort?: unknown }).parentPort = port;
