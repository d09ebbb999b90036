// The relay as its own process (`hero-desk relay --port --secret-env --data-file`), for sites that
// want the bundled relay on a server. The publish secret comes from an environment variable, never
// argv (argv is visible to every user in `ps`).
import { z } from 'zod';
import type { PortChoice } from '../net/listen.ts';
import { startRelay } from './relay-server.ts';
import type { RelayHandle, RelayLogger } from './relay-server.ts';

export const StandaloneRelayOptionsSchema = z.object({
  host: z.string().default('127.0.0.1'),
  /** Unset: 8787, or a free port (with a warning) when that is taken. */
  port: z.number().int().min(0).max(65535).optional(),
  /** SQLite file for history, idempotency keys and the epoch; ':memory:' forgets on restart. */
  dataFile: z.string().min(1).default('hero-desk-relay.sqlite'),
  /** Name of the environment variable holding the publish secret. */
  secretEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('HERO_DESK_RELAY_SECRET'),
  allowedOrigins: z.array(z.string()).default([]),
  historyLimit: z.number().int().min(1).optional(),
  heartbeatMs: z.number().int().min(10).optional(),
  maxBufferedBytes: z.number().int().min(1).optional(),
  maxConnections: z.number().int().min(8).optional(),
});

export const STANDALONE_DEFAULT_PORT = 8787;
export type StandaloneRelayOptions = z.input<typeof StandaloneRelayOptionsSchema> & {
  env?: NodeJS.ProcessEnv;
  logger?: RelayLogger;
  /** Environment variable holding a postgres:// URL: the history is then shared with other instances (not dataFile). */
  historyUrlEnv?: string;
  /** Schema of the shared history (default hero_desk); the instances of one stream share it. */
  historySchema?: string;
  /** Stop cleanly on SIGINT/SIGTERM (default true; tests turn it off). */
  handleSignals?: boolean;
};

const consoleLogger: RelayLogger = {
  info: (details, message) => console.log(message, JSON.stringify(details)),
  warn: (details, message) => console.warn(message, JSON.stringify(details)),
};

export async function runStandaloneRelay(opts: StandaloneRelayOptions = {}): Promise<RelayHandle> {
  const options = StandaloneRelayOptionsSchema.parse(opts);
  const env = opts.env ?? process.env;
  const publishSecret = env[options.secretEnv];
  if (!publishSecret) throw new Error(`relay: set the publish secret in the ${options.secretEnv} environment variable`);
  const historyUrl = opts.historyUrlEnv === undefined ? undefined : env[opts.historyUrlEnv];
  if (opts.historyUrlEnv !== undefined && !historyUrl)
    throw new Error(`relay: set the history URL in the ${opts.historyUrlEnv} environment variable`);
  const portChoice: PortChoice =
    options.port === undefined
      ? { port: STANDALONE_DEFAULT_PORT, explicit: false, setting: '--port', flag: '--port' }
      : { port: options.port, explicit: true, setting: '--port', flag: '--port' };
  const relay = await startRelay({
    host: options.host,
    portChoice,
    dataFile: options.dataFile,
    history: historyUrl === undefined ? undefined : { type: 'postgres', url: historyUrl, schema: opts.historySchema },
    maxConnections: options.maxConnections,
    publishSecret,
    allowedOrigins: options.allowedOrigins,
    historyLimit: options.historyLimit,
    heartbeatMs: options.heartbeatMs,
    maxBufferedBytes: options.maxBufferedBytes,
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
