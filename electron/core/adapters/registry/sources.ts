// The source seam: the embedded demo datasheet (a JSON file in the data dir) or an AITable datasheet,
// with what comes with each: write-back, webhook, poll interval.
import { join } from 'node:path';
import type { HeroDeskConfig } from '../../config/schema.ts';
import type { ArticleSource, SourceWriteBack } from '../types.ts';
import { AitableConfigSchema, createAitableSource, createAitableWriteBack, type AitableConfig } from '../aitable/index.ts';
import { DEMO_POLL_INTERVAL_MS, DemoSource, DemoSourceConfigSchema } from '../embedded/demo-source.ts';
import { buildFromEntry, runFactory, type RunDeps } from './factory.ts';

export interface SourceSetup {
  source: ArticleSource;
  /** The demo source itself, for the board's "Add story" form. */
  demoSource: DemoSource | null;
  /** Status reports back to the source (AITable write-back), when configured. */
  writeBack: SourceWriteBack | null;
  /** How long the write-back waits to coalesce a burst of changes to one record. */
  writeBackDelayMs: number;
  /** The AITable automation webhook, when enabled. */
  webhook: AitableConfig['webhook'] | null;
  pollIntervalMs: number;
}

function aitableSetup(options: AitableConfig, deps: RunDeps): SourceSetup {
  const source = createAitableSource(options, deps);
  return {
    source,
    demoSource: null,
    writeBack: options.writeBack.enabled ? createAitableWriteBack(options, { ...deps, client: source.client }) : null,
    writeBackDelayMs: options.writeBack.flushDelayMs,
    webhook: options.webhook.enabled ? options.webhook : null,
    pollIntervalMs: options.pollIntervalMs,
  };
}

export const SOURCES = {
  demo: runFactory(DemoSourceConfigSchema, (options, deps): SourceSetup => {
    const demoSource = new DemoSource(join(deps.dataDir, 'demo-datasheet.json'));
    const pollIntervalMs = options.pollIntervalMs ?? DEMO_POLL_INTERVAL_MS;
    return { source: demoSource, demoSource, writeBack: null, writeBackDelayMs: 0, webhook: null, pollIntervalMs };
  }),
  aitable: {
    ...runFactory(AitableConfigSchema, aitableSetup),
    // the webhook's secret is read only when the webhook is on
    secretsIn: (options: AitableConfig) => (options.webhook.enabled ? options : { ...options, webhook: null }),
  },
};

/** Poll interval: the source's own setting, else the top-level one, else the source's default. */
export function buildSource(config: HeroDeskConfig, deps: RunDeps): SourceSetup {
  const entry = { ...config.source, pollIntervalMs: config.source.pollIntervalMs ?? config.pollIntervalMs };
  return buildFromEntry<SourceSetup, RunDeps>('source', SOURCES, entry, ['source'], deps);
}
