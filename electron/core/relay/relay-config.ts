// The relay's settings and their defaults, checked by hand: the relay also runs as its own process
// (`hero-desk relay`), which loads only the relay — zod alone would cost it ~15 MiB.

export interface RelayConfig {
  host?: string;
  /** 0 = any free port; `portChoice` (fixed default with fallback) takes precedence. */
  port?: number;
  publishSecret: string;
  /** Origins allowed to open /ws (e.g. https://news.example); empty = any. */
  allowedOrigins?: string[];
  /** Also let pages on this machine (http://127.0.0.1:*, http://localhost:*) open /ws: the bundled relay's board serves one. */
  allowLoopbackOrigins?: boolean;
  /** SQLite file for history, idempotency keys and the epoch; ':memory:' forgets on restart. */
  dataFile?: string;
  /** Articles kept for readers (newest message each); the least recently changed are dropped first. */
  historyLimit?: number;
  /** Idempotency keys remembered (oldest dropped first); default max(10,000, 10 × historyLimit). */
  dedupeLimit?: number;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
  maxPublishBytes?: number;
  /** Connections held at once (readers + HTTP); default: budgeted from the open-file limit. */
  maxConnections?: number;
  /** Connections one non-loopback address may hold; default an eighth of maxConnections. */
  maxPerAddress?: number;
}

type Defaulted = 'dedupeLimit' | 'maxConnections' | 'maxPerAddress';
export type RelaySettings = Required<Omit<RelayConfig, Defaulted>> & Pick<RelayConfig, Defaulted>;

export class RelayConfigError extends Error {
  override name = 'RelayConfigError';
}

/** An integer in [min, max], or the fallback when unset; anything else is a RelayConfigError naming the setting. */
export function integerSetting(name: string, value: unknown, min: number, max: number, fallback: number): number;
export function integerSetting(name: string, value: unknown, min: number, max: number): number | undefined;
export function integerSetting(name: string, value: unknown, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new RelayConfigError(`relay: ${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return value;
}

function stringSetting(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) throw new RelayConfigError(`relay: ${name} must be a non-empty string`);
  return value;
}

export function relaySettings(config: RelayConfig): RelaySettings {
  if (typeof config.publishSecret !== 'string' || config.publishSecret.length < 16)
    throw new RelayConfigError('publishSecret must be at least 16 characters');
  const origins = config.allowedOrigins ?? [];
  if (!Array.isArray(origins) || origins.some((origin) => typeof origin !== 'string'))
    throw new RelayConfigError('relay: allowedOrigins must be a list of origins');
  return {
    host: stringSetting('host', config.host, '127.0.0.1'),
    port: integerSetting('port', config.port, 0, 65535, 0),
    publishSecret: config.publishSecret,
    allowedOrigins: origins,
    allowLoopbackOrigins: config.allowLoopbackOrigins === true,
    dataFile: stringSetting('dataFile', config.dataFile, ':memory:'),
    historyLimit: integerSetting('historyLimit', config.historyLimit, 1, 100_000, 1000),
    dedupeLimit: integerSetting('dedupeLimit', config.dedupeLimit, 1, Number.MAX_SAFE_INTEGER),
    heartbeatMs: integerSetting('heartbeatMs', config.heartbeatMs, 10, Number.MAX_SAFE_INTEGER, 15_000),
    maxBufferedBytes: integerSetting('maxBufferedBytes', config.maxBufferedBytes, 1, Number.MAX_SAFE_INTEGER, 1024 * 1024),
    maxPublishBytes: integerSetting('maxPublishBytes', config.maxPublishBytes, 1024, Number.MAX_SAFE_INTEGER, 256 * 1024),
    maxConnections: integerSetting('maxConnections', config.maxConnections, 8, Number.MAX_SAFE_INTEGER),
    maxPerAddress: integerSetting('maxPerAddress', config.maxPerAddress, 1, Number.MAX_SAFE_INTEGER),
  };
}
