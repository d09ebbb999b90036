// Start-up probes and the optional source webhook. A failed probe does not stop Hero Desk (the
// embedded fallbacks still work); it is logged and shown to editors as a notice that names
// the adapter and the problem, instead of surfacing later as a failed job.
import { startWebhookServer, type AitableConfig } from '../adapters/aitable/index.ts';
import type { SecretStore } from '../adapters/types.ts';
import { ConfigError } from '../settings/config-load.ts';
import type { Ingest } from '../pipeline/ingest.ts';
import type { Logger } from '../base/log.ts';
import type { Problem } from '../../../shared/domain.ts';
import { classifyError, errorMessage } from '../base/failures.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';
import type { Store } from '../store/store.ts';
import type { Adapters } from './adapters.ts';

export interface CheckResult {
  adapter: string;
  /** The open problem this adapter's faults share with the pipeline (a successful call closes it). */
  problemId: string;
  area: Problem['area'];
  ok: boolean;
  /** Transient faults (the service is down for now) are warnings; bad keys and settings are errors. */
  transient: boolean;
  message: string;
}

type Probe = [label: string, problemId: string, area: Problem['area'], check: ((signal?: AbortSignal) => Promise<void>) | undefined];

/** Every adapter's check(), each with its own timeout. */
export async function checkAdapters(adapters: Adapters, timeoutMs = 20_000): Promise<CheckResult[]> {
  const probes: Probe[] = [
    [`source ${adapters.source.name}`, 'source', 'source', adapters.source.check?.bind(adapters.source)],
    [`storage ${adapters.storage.name}`, 'storage', 'storage', adapters.storage.check?.bind(adapters.storage)],
    [`publisher ${adapters.publisher.name}`, 'publisher', 'publisher', adapters.publisher.check?.bind(adapters.publisher)],
    ...adapters.scorers.map((scorer): Probe => [`scorer ${scorer.name}`, `scorer:${scorer.name}`, 'provider', scorer.check?.bind(scorer)]),
    ...uniqueProviders(adapters).map((provider): Probe => [
      `provider ${provider.name}`,
      `provider:${provider.name}`,
      'provider',
      provider.check?.bind(provider),
    ]),
  ];
  return Promise.all(
    probes.flatMap(([adapter, problemId, area, check]) =>
      check === undefined
        ? []
        : [
            (async (): Promise<CheckResult> => {
              try {
                await check(AbortSignal.timeout(timeoutMs));
                return { adapter, problemId, area, ok: true, transient: false, message: 'ok' };
              } catch (error) {
                return {
                  adapter,
                  problemId,
                  area,
                  ok: false,
                  transient: classifyError(error).kind === 'retryable',
                  message: errorMessage(error),
                };
              }
            })(),
          ],
    ),
  );
}

/** Each adapter's probe as an open problem until it passes (a key set from the board re-runs them). */
export async function runStartupChecks(adapters: Adapters, store: Store, logger: Logger): Promise<void> {
  const results = await checkAdapters(adapters);
  try {
    for (const result of results) {
      if (result.ok) {
        resolveProblem(store, result.problemId);
        continue;
      }
      logger.debug({ adapter: result.adapter }, `start-up check failed: ${result.message}`);
      raiseProblem(store, {
        id: result.problemId,
        area: result.area,
        level: result.transient ? 'warn' : 'error',
        message: `${result.adapter}: ${result.message}`,
        action:
          'Fix what it names (a key in Keys, a field in AITable, the config); the check runs again when a key is saved, and the problem closes once it works',
      });
    }
  } catch {
    // the core was stopped before the checks finished
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
  return [
    ...new Map(
      Object.values(adapters.chains)
        .flat()
        .map((provider) => [provider.name, provider]),
    ).values(),
  ];
}
