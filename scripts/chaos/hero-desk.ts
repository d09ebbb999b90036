// Hero Desk under test: `hero-desk start` as a child process with JSON logs, a fresh media (and
// bundled-relay) port on every start, and its config pointing at the fakes and the relay.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envName } from '../../electron/core/adapters/secrets.ts';
import { freePort, spawnCli } from './processes.ts';
import type { Child } from './processes.ts';

export interface LogLine {
  level?: number;
  msg?: string;
  articleId?: string;
  [key: string]: unknown;
}

export interface HeroDeskRun extends Child {
  readonly run: number;
  readonly mediaPort: number;
  readonly startedAt: number;
}

export interface HeroDeskSetup {
  dataDir: string;
  configPath: string;
  logDir: string;
  secrets: { aitable: string; relay: string; postgresUrl?: string };
  onLog: (line: LogLine, run: number) => void;
}

export const AITABLE_FIELDS = {
  status: 'Image status',
  imageUrl: 'Image URL',
  imageAttachment: 'Image',
  score: 'Score',
  cost: 'Cost',
  altText: 'Alt text',
} as const;

/** The config: AITable source with full write-back, the fake AUTOMATIC1111, local scorer, disk, external relay. */
export function writeConfig(
  path: string,
  targets: { aitableBaseUrl: string; datasheetId: string; a1111Url: string; relayUrl: string; postgresSchema?: string },
): void {
  const config = {
    site: 'The Chaos Gazette',
    ...(targets.postgresSchema ? { store: { type: 'postgres', schema: targets.postgresSchema } } : {}),
    source: {
      type: 'aitable',
      baseUrl: targets.aitableBaseUrl,
      datasheetId: targets.datasheetId,
      tokenSecret: 'aitable',
      pollIntervalMs: 500,
      requestTimeoutMs: 4_000,
      retry: { retries: 3, minTimeoutMs: 200, maxTimeoutMs: 2_000 },
      writeBack: { enabled: true, fields: AITABLE_FIELDS, flushDelayMs: 200 },
    },
    providers: {
      'newsroom-sd': {
        type: 'automatic1111',
        baseUrl: targets.a1111Url,
        steps: 20,
        costPerImageUsd: 0.002,
        timeoutMs: 15_000,
        concurrency: 3,
      },
    },
    tiers: {
      breaking: { providers: ['newsroom-sd'], maxAttempts: 20, deadlineSeconds: 600 },
      regular: { providers: ['newsroom-sd'], maxAttempts: 20, deadlineSeconds: 900 },
    },
    scorers: [{ type: 'local' }],
    storage: { type: 'disk' },
    publisher: { type: 'external-relay', url: targets.relayUrl, publishSecretName: 'relay', timeoutMs: 5_000 },
    // short leases: a killed worker's job is claimed again two seconds later
    leaseSeconds: 2,
    publishRetry: { baseMs: 250, capMs: 4_000 },
  };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
}

/** Who a run is: the desk (all lanes, or only publish when workers run beside it) or worker `index`. */
export type Role = { kind: 'desk'; withWorkers: boolean } | { kind: 'worker'; index: number };

export const roleName = (role: Role) => (role.kind === 'desk' ? 'Hero Desk' : `worker ${role.index}`);

export async function startHeroDesk(
  setup: HeroDeskSetup,
  run: number,
  role: Role = { kind: 'desk', withWorkers: false },
): Promise<HeroDeskRun> {
  if (role.kind === 'worker') return startWorker(setup, run, role.index);
  const mediaPort = await freePort();
  const relayPort = await freePort();
  const startedAt = Date.now();
  const child = await spawnCli({
    args: [
      'start',
      ...(role.withWorkers ? ['--lanes', 'publish'] : []),
      '--data-dir',
      setup.dataDir,
      '--config',
      setup.configPath,
      '--board-port',
      '0',
      '--media-port',
      String(mediaPort),
      '--relay-port',
      String(relayPort),
      '--json-logs',
      '--auto-approve',
      '1',
    ],
    ...childIo(setup, run, 'hero-desk'),
    ready: (text) => text.includes('"core started"'),
    readyTimeoutMs: 45_000,
  });
  return asRun(child, run, mediaPort, startedAt);
}

/** `hero-desk worker` on the desk's data directory: the generate lanes, no servers. */
async function startWorker(setup: HeroDeskSetup, run: number, index: number): Promise<HeroDeskRun> {
  const startedAt = Date.now();
  const child = await spawnCli({
    args: ['worker', '--data-dir', setup.dataDir, '--config', setup.configPath, '--json-logs'],
    ...childIo(setup, run, `worker-${index}`),
    ready: (text) => text.includes('"worker started"'),
    readyTimeoutMs: 45_000,
  });
  return asRun(child, run, 0, startedAt);
}

/** The secrets, the log file and the JSON log lines, as every run of the desk or a worker gets them. */
function childIo(setup: HeroDeskSetup, run: number, prefix: string) {
  return {
    env: {
      ...process.env,
      [envName('aitable')]: setup.secrets.aitable,
      [envName('relay')]: setup.secrets.relay,
      ...(setup.secrets.postgresUrl ? { [envName('postgresUrl')]: setup.secrets.postgresUrl } : {}),
    },
    logPath: join(setup.logDir, `${prefix}-${String(run).padStart(3, '0')}.log`),
    onLine: (text: string, stream: 'stdout' | 'stderr') => {
      if (stream !== 'stderr' || !text.startsWith('{')) return;
      try {
        setup.onLog(JSON.parse(text) as LogLine, run);
      } catch {
        // a partial line: ignore
      }
    },
  };
}

function asRun(child: Child, run: number, mediaPort: number, startedAt: number): HeroDeskRun {
  return {
    run,
    mediaPort,
    startedAt,
    pid: child.pid,
    get alive() {
      return child.alive;
    },
    exited: child.exited,
    stop: (signal, graceMs) => child.stop(signal, graceMs),
  };
}
