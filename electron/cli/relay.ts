// `hero-desk relay`: the reader relay on its own, for a site without one. Publishers (a Hero
// Desk with publisher "external-relay") authenticate with the secret from the environment.
import { resolve } from 'node:path';
import { runStandaloneRelay } from '../core/relay/standalone.ts';

export interface RelayOptions {
  host: string;
  port?: number;
  dataFile: string;
  secretEnv: string;
  allowOrigin: string[];
  historyUrlEnv?: string;
  historySchema?: string;
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
