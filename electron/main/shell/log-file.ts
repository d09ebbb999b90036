// The desktop log: JSON lines in <userData>/logs/hero-desk.log, rotated by size (hero-desk.log.1 …
// .5, oldest dropped) so a long-running desk never fills the disk. Same redaction as every other
// Hero Desk logger (electron/core/base/log.ts): keys and tokens never reach the file.
import { basename, dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import { REDACT_PATHS } from '../../core/base/log.ts';

export interface RotatingLogOptions {
  destination?: string;
  level?: string;
  /** Rotate when the file reaches this size (rotating-file-stream syntax: '10M', '500K'). */
  size?: string;
  /** Rotated files kept. */
  keep?: number;
}

export const LOG_FILE_NAME = 'hero-desk.log';

export function createRotatingLogger(options: RotatingLogOptions): Logger {
  const level = options.level ?? 'info';
  const redact = { paths: REDACT_PATHS, censor: '[redacted]' };
  if (!options.destination) return pino({ level, redact });
  const stream = createStream(basename(options.destination), {
    path: dirname(options.destination),
    size: (options.size ?? '10M') as `${number}M`,
    rotate: options.keep ?? 5,
    mode: 0o600,
  });
  stream.on('error', (error) => console.error(`hero-desk: cannot write the log file ${options.destination}: ${error.message}`));
  return pino({ level, redact, base: { app: 'hero-desk' } }, stream);
}

/** Writes what is buffered and closes the file (on quit: the last lines are the ones that explain it). */
export async function closeRotatingLogger(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as NodeJS.WritableStream | undefined;
  if (stream === undefined || typeof stream.end !== 'function' || !('writableEnded' in stream) || stream.writableEnded) return;
  await new Promise<void>((resolve) => {
    stream.once('finish', () => resolve());
    stream.once('error', () => resolve());
    stream.end();
  });
}
