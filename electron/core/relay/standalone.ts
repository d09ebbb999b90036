// The relay as its own process (`hero-desk relay --port --secret-env --data-file`), for sites that
// want the bundled relay on a server. The publish secret comes from an environment variable, never
// argv (argv is visible to every user in `ps`).
import type { PortChoice } from '../net/listen.ts';
import { integerSetting, RelayConfigError } from './relay-config.ts';
import { startRelay } from './relay-server.ts';
import type { RelayHandle, RelayLogger } from './relay-server.ts';

export const STANDALONE_DEFAULT_PORT = 8787;

export interface StandaloneRelayOptions {
  host?: string;
  /** Unset: 8787, or a free port (with a warning) when that is taken. */
  port?: number;
  /** SQLite file for history, idempotency keys and the epoch; ':memory:' forgets on restart. */
  dataFile?: string;
  /** Name of the environment variable holding the publish secret (default HERO_DESK_RELAY_SECRET). */
  secretEnv?: string;
  allowedOrigins?: string[];
  historyLimit?: number;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
  maxConnections?: number;
  env?: NodeJS.ProcessEnv;
  logger?: RelayLogger;
  /** Environment variable holding a postgres:// URL: the history is then shared with other instances (not dataFile). */
  historyUrlEnv?: string;
  /** Schema of the shared history (default hero_desk); the instances of one stream share it. */
  historySchema?: string;
  /** Stop cleanly on SIGINT/SIGTERM (default true; tests turn it off). */
  handleSignals?: boolean;
}

const consoleLogger: RelayLogger = {
  info: (details, message) => console.log(message, JSON.stringify(details)),
  warn: (details, message) => console.warn(message, JSON.stringify(details)),
};

/** A name the process environment can hold (the relay CLI checks its flags with it too). */
export const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function runStandaloneRelay(opts: StandaloneRelayOptions = {}): Promise<RelayHandle> {
  // the other settings are checked by startRelay (relay-config.ts)
  const secretEnv = opts.secretEnv ?? 'HERO_DESK_RELAY_SECRET';
  if (!ENVIRONMENT_VARIABLE_NAME.test(secretEnv))
    throw new RelayConfigError(`relay: secretEnv must be an environment variable name (got ${secretEnv})`);
  const env = opts.env ?? process.env;
  const publishSecret = env[secretEnv];
  if (!publishSecret) throw new RelayConfigError(`relay: set the publish secret in the ${secretEnv} environment variable`);
  const port = integerSetting('port', opts.port, 0, 65535);
  const historyUrl = opts.historyUrlEnv === undefined ? undefined : env[opts.historyUrlEnv];
  if (opts.historyUrlEnv !== undefined && !historyUrl)
    throw new RelayConfigError(`relay: set the history URL in the ${opts.historyUrlEnv} environment variable`);
  const portChoice: PortChoice =
    port === undefined
      ? { port: STANDALONE_DEFAULT_PORT, explicit: false, setting: '--port', flag: '--port' }
      : { port, explicit: true, setting: '--port', flag: '--port' };
  const relay = await startRelay({
    host: opts.host,
    portChoice,
    dataFile: opts.dataFile ?? 'hero-desk-relay.sqlite',
    history: historyUrl === undefined ? undefined : { type: 'postgres', url: historyUrl, schema: opts.historySchema },
    maxConnections: opts.maxConnections,
    publishSecret,
    allowedOrigins: opts.allowedOrigins,
    historyLimit: opts.historyLimit,
    heartbeatMs: opts.heartbeatMs,
    maxBufferedBytes: opts.maxBufferedBytes,
    logger: opts.logger ?? consoleLogger,
  });
  if (opts.handleSignals !== false) {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      relay.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  }
  return relay;
}
