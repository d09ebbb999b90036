// Start-up probes and the optional source webhook. A failed probe does not stop Hero Desk (the
// embedded fallbacks still work); it is logged and shown to editors as a notice that names
// the adapter and the problem, instead of surfacing later as a failed job.
import { startWebhookServer, type AitableConfig } from '../adapters/aitable/index.ts';
import type { SecretStore } from '../adapters/types.ts';
import { ConfigError } from '../config/load.ts';
import type { Ingest } from '../ingest/ingest.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { Adapters } from './adapters.ts';

export interface CheckResult {
  adapter: string;
  ok: boolean;
  message: string;
}

/** Every adapter's check(), each with its own timeout. */
export async function checkAdapters(adapters: Adapters, timeoutMs = 20_000): Promise<CheckResult[]> {
  const probes: [string, ((signal?: AbortSignal) => Promise<void>) | undefined][] = [
    [`source ${adapters.source.name}`, adapters.source.check?.bind(adapters.source)],
    [`storage ${adapters.storage.name}`, adapters.storage.check?.bind(adapters.storage)],
    [`publisher ${adapters.publisher.name}`, adapters.publisher.check?.bind(adapters.publisher)],
    ...adapters.scorers.map((scorer) => [`scorer ${scorer.name}`, scorer.check?.bind(scorer)] as [string, typeof scorer.check]),
    ...uniqueProviders(adapters).map((provider) => [`provider ${provider.name}`, provider.check?.bind(provider)] as [string, typeof provider.check]),
  ];
  return Promise.all(
    probes
      .filter(([, check]) => check !== undefined)
      .map(async ([adapter, check]) => {
        try {
          await check!(AbortSignal.timeout(timeoutMs));
          return { adapter, ok: true, message: 'ok' };
        } catch (error) {
          return { adapter, ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      }),
  );
}

export async function runStartupChecks(adapters: Adapters, store: Store, logger: Logger): Promise<void> {
  for (const result of await checkAdapters(adapters)) {
    if (result.ok) continue;
    logger.error({ adapter: result.adapter }, `start-up check failed: ${result.message}`);
    try {
      store.notice('error', `${result.adapter}: ${result.message}`);
    } catch {
      // the core was stopped before the check finished
    }
  }
}

export async function startSourceWebhook(config: AitableConfig['webhook'], secrets: SecretStore, ingest: Ingest, logger: Logger) {
  const secret = secrets.get(config.secretName);
  if (!secret) throw new ConfigError(`source.webhook is enabled but the secret "${config.secretName}" is not set`);
  const server = await startWebhookServer({
    host: config.host,
    port: config.port,
    secret,
    logger: logger.child({ module: 'webhook' }),
    onRecord: (recordId) => ingest.ingestRecord(recordId),
  });
  logger.info({ url: server.url }, 'AITable webhook listening');
  return server;
}

function uniqueProviders(adapters: Adapters) {
  return [...new Map(Object.values(adapters.chains).flat().map((provider) => [provider.name, provider])).values()];
}
