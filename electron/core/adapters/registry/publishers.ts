// The publisher seam: the bundled relay (embedded: it starts the relay server in this process), a
// relay elsewhere, Centrifugo or a signed webhook.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config/errors.ts';
import { AdapterError } from '../../base/failures.ts';
import type { AdapterEntry } from '../../config/schema.ts';
import { connectionBudget } from '../../net/limits.ts';
import { choosePort, DEFAULT_PORTS } from '../../net/listen.ts';
import { startRelay } from '../../relay/relay-server.ts';
import type { Publisher } from '../types.ts';
import { CentrifugoConfigSchema, createCentrifugoPublisher } from '../publishers/centrifugo.ts';
import { createRelayPublisher, RelayPublisherConfigSchema } from '../publishers/relay.ts';
import { createWebhookPublisher, WebhookConfigSchema } from '../publishers/webhook.ts';
import { buildFromEntry, runFactory, type RunDeps } from './factory.ts';

export interface PublisherSetup {
  publisher: Publisher;
  /** The bundled relay's reader page and WebSocket URL, when it runs. */
  readerUrl: string | null;
  relayWsUrl: string | null;
}

/** The bundled relay takes no options here: it is configured under `relay`. */
const BundledRelayOptionsSchema = z.strictObject({});

/**
 * Never called: a worker does not claim the publish lane when the relay runs in the desk
 * (core/worker.ts). Were it called, the job would go back to the queue for the desk to take.
 */
const relayInTheDesk: Publisher = {
  name: 'relay (in the desk)',
  publish: () => Promise.reject(new AdapterError('the bundled relay runs in the desk: the desk publishes this', 'retryable')),
};

async function startBundledRelay(deps: RunDeps): Promise<PublisherSetup> {
  const { relay: settings } = deps.config;
  if (!settings.enabled) throw new ConfigError('publisher "relay" is the bundled relay: set relay.enabled, or use "external-relay"');
  if (deps.servers === false) return { publisher: relayInTheDesk, readerUrl: null, relayWsUrl: null };
  // the bundled relay lives in this process: a fresh secret per run is enough
  const publishSecret = deps.secrets.get('relay-publish') ?? randomBytes(24).toString('base64url');
  const relay = await startRelay({
    host: settings.host,
    portChoice: choosePort({
      cli: deps.relayPort,
      config: settings.port,
      flag: '--relay-port',
      configKey: 'relay.port',
      defaultPort: DEFAULT_PORTS.relay,
    }),
    publishSecret,
    allowedOrigins: settings.allowedOrigins,
    // the board bridge serves the same reader page from its own loopback origin
    allowLoopbackOrigins: true,
    // history, idempotency keys and the epoch outlive this process
    dataFile: join(deps.dataDir, 'relay.sqlite'),
    maxConnections: connectionBudget('relay'),
    logger: deps.logger.child({ module: 'relay' }),
  });
  deps.onStop(() => relay.stop());
  return { publisher: createRelayPublisher({ url: relay.url, publishSecret }), readerUrl: relay.readerUrl, relayWsUrl: relay.wsUrl };
}

const elsewhere = async (publisher: Publisher): Promise<PublisherSetup> => ({ publisher, readerUrl: null, relayWsUrl: null });

export const PUBLISHERS = {
  relay: runFactory(BundledRelayOptionsSchema, (_options, deps) => startBundledRelay(deps)),
  /** a relay elsewhere, e.g. `hero-desk relay` on the site's server */
  'external-relay': runFactory(RelayPublisherConfigSchema, (options, deps) => elsewhere(createRelayPublisher(options, deps))),
  centrifugo: runFactory(CentrifugoConfigSchema, (options, deps) => elsewhere(createCentrifugoPublisher(options, deps))),
  webhook: runFactory(WebhookConfigSchema, (options, deps) => elsewhere(createWebhookPublisher(options, deps))),
};

export function buildPublisher(entry: AdapterEntry, deps: RunDeps): Promise<PublisherSetup> {
  return buildFromEntry<Promise<PublisherSetup>, RunDeps>('publisher', PUBLISHERS, entry, ['publisher'], deps);
}
