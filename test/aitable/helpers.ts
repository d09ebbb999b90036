// Shared set-up for the AITable tests: a fake Fusion server per test and a config pointing at it.
import type { AitableConfigInput } from '../../electron/core/adapters/aitable/index.ts';
import type { SecretStore } from '../../electron/core/adapters/types.ts';
import { startFakeFusionServer } from './fake-fusion-server.ts';
import type { FakeFusion, FakeFusionOptions } from './fake-fusion-server.ts';

export const TOKEN = 'test-token';

export function secretsWith(values: Record<string, string>): SecretStore {
  return { get: (name) => values[name] };
}

export const secrets = secretsWith({ aitable: TOKEN });

export interface LogEntry {
  level: 'debug' | 'warn';
  obj: object;
  msg: string | undefined;
}

export function memoryLogger() {
  const entries: LogEntry[] = [];
  return {
    entries,
    debug: (obj: object, msg?: string) => void entries.push({ level: 'debug', obj, msg }),
    warn: (obj: object, msg?: string) => void entries.push({ level: 'warn', obj, msg }),
  };
}

/** Fast retries so failure tests take milliseconds, not the production back-off. */
export function configFor(fake: FakeFusion, overrides: Partial<AitableConfigInput> = {}): AitableConfigInput {
  return {
    baseUrl: fake.baseUrl,
    datasheetId: fake.datasheetId,
    retry: { retries: 6, minTimeoutMs: 5, maxTimeoutMs: 40 },
    ...overrides,
  };
}

/** Start a fake per test; call the returned cleanup in afterEach. */
export function fakeServers() {
  const started: FakeFusion[] = [];
  return {
    async start(options?: FakeFusionOptions): Promise<FakeFusion> {
      const fake = await startFakeFusionServer(options);
      started.push(fake);
      return fake;
    },
    async closeAll(): Promise<void> {
      await Promise.all(started.splice(0).map((f) => f.close()));
    },
  };
}

export function article(headline: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Headline: headline, Summary: `Summary of ${headline}`, Section: 'World', ...extra };
}
