// One logger for the core and both shells: readable lines by default, JSON on request (for
// log shippers), always with secrets redacted — keys, tokens and auth headers never reach a log.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  json?: boolean;
  level?: string;
  /** A file path; default stderr. */
  destination?: string;
}

export const REDACT_PATHS = [
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.publishSecret',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.HERO_DESK_LOG_LEVEL ?? 'info';
  const redact = { paths: REDACT_PATHS, censor: '[redacted]' };
  if (options.destination) mkdirSync(dirname(options.destination), { recursive: true });
  const fd = options.destination ? pino.destination({ dest: options.destination, sync: true }) : pino.destination({ fd: 2, sync: true });
  if (options.json) return pino({ level, redact, base: { app: 'hero-desk' } }, fd);
  const stream = pretty({
    destination: fd,
    sync: true,
    colorize: !options.destination && process.stderr.isTTY,
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname,module',
    messageFormat: '{if module}[{module}] {end}{msg}',
    singleLine: true,
  });
  return pino({ level, redact }, stream);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
