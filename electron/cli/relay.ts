// `hero-desk relay`: the reader relay on its own, for a site without one. Publishers (a Hero
// Desk with publisher "external-relay") authenticate with the secret from the environment.
import { runStandaloneRelay } from '../core/relay/standalone.ts';

export interface RelayOptions {
  host: string;
  port: number;
  secretEnv: string;
  allowOrigin: string[];
}

export async function runRelay(options: RelayOptions): Promise<void> {
  const relay = await runStandaloneRelay({ host: options.host, port: options.port, secretEnv: options.secretEnv, allowedOrigins: options.allowOrigin });
  process.stdout.write(`Hero Desk relay listening\n  Publish  POST ${relay.url}/publish (Bearer $${options.secretEnv})\n  Readers  ${relay.wsUrl}\n  Demo     ${relay.readerUrl}\n`);
}
