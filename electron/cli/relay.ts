// `hero-desk relay`: the reader relay on its own, for a site without one. Publishers (a Hero
// Desk with publisher "external-relay") authenticate with the secret from the environment.
// Its options are checked here by hand, not with zod: the relay process loads only the relay
// (zod alone is ~15 MiB of a process that should stay near a bare `ws` server's size).
import { resolve } from 'node:path';
import { ENVIRONMENT_VARIABLE_NAME as ENV_NAME, runStandaloneRelay } from '../core/relay/standalone.ts';
import { OptionsError } from './cli-errors.ts';

export interface RelayOptions {
  host: string;
  port?: number;
  dataFile: string;
  secretEnv: string;
  allowOrigin: string[];
  historyUrlEnv?: string;
  historySchema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** What commander hands `relay` (strings, the port already a number), checked like options.ts checks the rest. */
export function parseRelayOptions(raw: Record<string, unknown>): RelayOptions {
  const fail = (flag: string, message: string): never => {
    throw new OptionsError(`${flag} ${message} (see hero-desk relay --help)`);
  };
  const text = (flag: string, value: unknown): string =>
    typeof value === 'string' && value.length > 0 ? value : fail(flag, 'must not be empty');
  const { host, port, dataFile, secretEnv, allowOrigin = [], historyUrlEnv, historySchema } = raw;
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535))
    fail('--port', 'must be a port number (0 = any free port)');
  if (typeof secretEnv !== 'string' || !ENV_NAME.test(secretEnv))
    fail('--secret-env', 'must be an environment variable name (letters, digits, _)');
  if (!Array.isArray(allowOrigin)) fail('--allow-origin', 'must be a list of origins');
  if (historyUrlEnv !== undefined && !(typeof historyUrlEnv === 'string' && ENV_NAME.test(historyUrlEnv)))
    fail('--history-url-env', 'must be an environment variable name (letters, digits, _)');
  if (historySchema !== undefined && !(typeof historySchema === 'string' && SCHEMA_NAME.test(historySchema)))
    fail('--history-schema', 'must be lower-case letters, digits and _ (at most 63)');
  return {
    host: text('--host', host),
    port: port as number | undefined,
    dataFile: text('--data-file', dataFile),
    secretEnv: secretEnv as string,
    allowOrigin: (allowOrigin as unknown[]).map((origin) => text('--allow-origin', origin)),
    ...(historyUrlEnv === undefined ? {} : { historyUrlEnv: historyUrlEnv as string }),
    ...(historySchema === undefined ? {} : { historySchema: historySchema as string }),
  };
}

export async function runRelay(options: RelayOptions): Promise<void> {
  const dataFile = resolve(options.dataFile);
  const relay = await runStandaloneRelay({
    host: options.host,
    port: options.port,
    dataFile,
    secretEnv: options.secretEnv,
    allowedOrigins: options.allowOrigin,
    historyUrlEnv: options.historyUrlEnv,
    historySchema: options.historySchema,
  });
  process.stdout.write(
    `Hero Desk relay listening\n  Publish  POST ${relay.url}/publish (Bearer $${options.secretEnv})\n  Readers  ${relay.wsUrl} (discovery: ${relay.url}/relay.json)\n` +
      `  Demo     ${relay.readerUrl}\n  Data     ${options.historyUrlEnv ? `PostgreSQL ($${options.historyUrlEnv})` : dataFile}\n`,
  );
}
