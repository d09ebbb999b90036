// Everything the run needs around Hero Desk: a temp dir, the AITable fake, the AUTOMATIC1111 fake
// (200–800 ms per image, a different picture per seed), the standalone relay behind its tap, the
// independent reader, and Hero Desk's config pointing at all of them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeFusionServer } from '../../test/aitable/fake-fusion-server.ts';
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import { startFakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import type { FakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import { writeConfig } from './hero-desk.ts';
import type { HeroDeskSetup } from './hero-desk.ts';
import { installHooks } from './hooks.ts';
import type { Hooks } from './hooks.ts';
import { pictureFor } from './images.ts';
import type { ChaosOptions, Timings } from './options.ts';
import { freePort, relaySupportsDataFile } from './processes.ts';
import { between } from './random.ts';
import type { Random } from './random.ts';
import { startReader } from './reader.ts';
import { closeStoreReaders, readPostgresAt } from './store-reader.ts';
import type { IndependentReader } from './reader.ts';
import { startRelayControl } from './relay-control.ts';
import type { RelayControl } from './relay-control.ts';
import { startRelayTap } from './relay-tap.ts';
import type { RelayTap } from './relay-tap.ts';
import type { Say } from './report.ts';
import type { Schedule } from './schedule.ts';

export interface World {
  dir: string;
  dbPath: string;
  mediaDir: string;
  fake: FakeFusion;
  a1111: FakeA1111;
  relay: RelayControl;
  tap: RelayTap;
  reader: IndependentReader;
  hooks: Hooks;
  setup: HeroDeskSetup;
}

export async function buildWorld(options: ChaosOptions, timings: Timings, schedule: Schedule, say: Say, random: Random): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-chaos-'));
  const dataDir = join(dir, 'data');
  const logDir = join(dir, 'logs');
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(dir, 'schedule.json'), JSON.stringify({ options, timings, schedule }, null, 2));

  const secrets = {
    aitable: `chaos-${randomBytes(8).toString('hex')}`,
    relay: randomBytes(24).toString('base64url'),
    ...(options.store === 'postgres' ? { postgresUrl: process.env.HERO_DESK_TEST_PG_URL! } : {}),
  };
  // on PostgreSQL the store is a fresh schema; the readers find it by a `postgres:<schema>` path
  const postgresSchema = options.store === 'postgres' ? `chaos_${options.seed}_${randomBytes(3).toString('hex')}` : undefined;
  if (secrets.postgresUrl) readPostgresAt(secrets.postgresUrl);
  const fake = await startFakeFusionServer({ tokens: [secrets.aitable] });
  const a1111 = await startFakeA1111({ latencyMs: () => between(random, 200, 800), image: pictureFor });
  const dataFile = relaySupportsDataFile() ? join(dir, 'relay-data') : null;
  const relay = await startRelayControl({ port: await freePort(), secret: secrets.relay, dataFile, logDir, say });
  const tap = await startRelayTap({ port: relay.port });
  const reader = startReader(relay.wsUrl, join(dir, 'reader.jsonl'));
  const configPath = join(dir, 'hero-desk.config.json');
  writeConfig(configPath, {
    aitableBaseUrl: fake.baseUrl,
    datasheetId: fake.datasheetId,
    a1111Url: a1111.url,
    relayUrl: tap.url,
    postgresSchema,
  });
  say(
    `seed ${options.seed}: ${options.kills} kills, ${options.articles} articles, ${schedule.faults.length} AITable fault windows, ` +
      `relay down ${schedule.relayOutages.map((o) => `${(o.downMs / 1000).toFixed(0)} s`).join(' + ')}; ` +
      `relay ${dataFile ? 'with --data-file' : 'without --data-file (this relay keeps history in memory)'}` +
      (options.workers > 0 ? `; ${options.workers} hero-desk workers beside the desk, which only publishes` : '') +
      (postgresSchema ? `; the store on PostgreSQL, schema ${postgresSchema}` : ''),
  );
  say.verbose(`temp dir ${dir}`);
  const setup: HeroDeskSetup = {
    dataDir,
    configPath,
    logDir,
    secrets,
    onLog: (line, run) => {
      if ((line.level ?? 0) >= 50 || line.msg?.startsWith('published:')) say.verbose(`hero-desk ${run}: ${line.msg ?? ''}`);
    },
  };
  const hooks = installHooks(fake, a1111, tap);
  const dbPath = postgresSchema ? `postgres:${postgresSchema}` : join(dataDir, 'hero-desk.db');
  return { dir, dbPath, mediaDir, fake, a1111, relay, tap, reader, hooks, setup };
}

/** Stops every child and server (idempotent) and leaves the AITable request log in the temp dir. */
export async function closeWorld(world: World): Promise<void> {
  const { fake, a1111, tap, relay, reader } = world;
  await reader.stop().catch(() => undefined);
  await relay.stop().catch(() => undefined);
  await tap.close().catch(() => undefined);
  await fake.close().catch(() => undefined);
  await a1111.close().catch(() => undefined);
  closeStoreReaders();
  writeFileSync(
    join(world.dir, 'aitable-requests.jsonl'),
    fake.requests.map((r) => JSON.stringify({ at: r.at, method: r.method, path: r.path, status: r.status, fault: r.fault })).join('\n'),
  );
}
