// `hero-desk worker` as a real process beside a desk on the same data directory: the desk claims
// only the publish lane, the worker makes the images, the desk's board hears of each card the
// worker made, an approval on the desk publishes it. A worker SIGKILLed in the middle of a provider
// call leaves a job whose lease the next worker takes up at once (its pid is dead), and the story
// still gets its image. A worker refuses what it could not do (publish through the desk's relay, a
// data directory with no desk) with the next step, exit 2.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore, type StartCoreOptions } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startWorker, WORKER_DEFAULT_LANES } from '../../electron/core/worker.ts';
import { recordDeskHost } from '../../electron/core/store/desk-policy.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { startFakeA1111 } from '../providers/fakes/automatic1111.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { deskStore, storeConfigFor, storeEnv, withStoreSecret, writeStoreConfig } from '../helpers/test-store.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ChildProcess[] = [];
let core: RunningCore | null = null;
let fake: FakeOpenAI | null = null;
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await core?.stop();
  await fake?.stop();
  core = null;
  fake = null;
  dirs.cleanup();
});

const noSecrets = withStoreSecret({ get: () => undefined });

/** The desk in this process, on loopback ports of its own; stopped after each test. */
async function startDesk(dataDir: string, options: Partial<StartCoreOptions> = {}): Promise<RunningCore> {
  core = await startCore({
    dataDir,
    transport: 'web',
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
    ...options,
    secrets: withStoreSecret(options.secrets ?? noSecrets),
  });
  return core;
}

async function cardsOn(desk: RunningCore): Promise<Card[]> {
  const snapshot = await desk.dispatch('snapshot', {});
  if (!snapshot.ok) throw new Error(snapshot.error.message);
  return (snapshot.value as { cards: Card[] }).cards;
}

const ClaimSchema = z.object({ lane: z.string(), owner: z.string() });
const StartedLogSchema = z.object({ msg: z.literal('worker started'), owner: z.string() });

interface Worker {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function spawnWorker(dataDir: string, args: string[] = [], env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, [CLI, 'worker', '--data-dir', dataDir, '--json-logs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...storeEnv(), ...env },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** The lease owner the worker logged at its start. */
function ownerOf(worker: Worker): string | null {
  for (const line of worker.output().split('\n')) {
    const parsed = StartedLogSchema.safeParse(safeJson(line));
    if (parsed.success) return parsed.data.owner;
  }
  return null;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function writeDemoSheet(dataDir: string): void {
  const records = [
    { recordId: 'recW1', fields: { Headline: 'Harbour crane collapses', Summary: 'No one was hurt.', Section: 'Local' } },
    { recordId: 'recW2', fields: { Headline: 'Ferry timetable changes', Summary: 'Fewer sailings in winter.', Section: 'Local' } },
  ];
  writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
  writeStoreConfig(dataDir);
}

function writeDesk(dataDir: string, fakeBaseUrl: string): void {
  writeDemoSheet(dataDir);
  // leases long enough that a job taken up at once was freed by the dead-lease sweep, not by expiry
  writeFileSync(
    join(dataDir, 'hero-desk.config.json'),
    JSON.stringify({
      ...storeConfigFor(dataDir),
      leaseSeconds: 30,
      providers: { premium: { type: 'openai', baseURL: fakeBaseUrl, model: 'gpt-image-2' } },
      tiers: { regular: { providers: ['premium'], concurrency: 1 } },
      scorers: [{ type: 'local' }],
    }),
  );
}

describe('hero-desk worker beside a desk', () => {
  it("makes the images the desk's board shows live; a SIGKILLed worker's job goes to the next worker; the desk publishes", async () => {
    fake = await startFakeOpenAI();
    fake.script('images', { kind: 'slow', delayMs: 120_000 }); // the first call hangs: its worker is killed holding it
    const dataDir = dirs.make();
    writeDesk(dataDir, fake.baseURL);
    const env = { HERO_DESK_SECRET_OPENAI: fake.apiKey };
    const desk = await startDesk(dataDir, {
      secrets: { get: (name) => (name === 'openai' ? fake!.apiKey : undefined) },
      claimLanes: ['publish'],
    });
    const events: HeroEvent[] = [];
    desk.onEvent((event) => events.push(event));
    const cardStatus = (id: string) =>
      events.flatMap((event) => (event.type === 'card' && event.card.articleId === id ? [event.card.status] : [])).at(-1);

    const workers = [spawnWorker(dataDir, [], env), spawnWorker(dataDir, [], env)];
    await waitFor(() => workers.every((worker) => ownerOf(worker) !== null), 30_000, 'both workers started');
    await waitFor(() => fake!.requests.some((r) => r.path.endsWith('/images/generations')), 30_000, 'the first image call is under way');
    const store = deskStore(dataDir);
    try {
      // the worker holding the hanging call dies; the other takes its job up at once, not when the 30 s lease ends
      const holder = store.db.get<{ owner: string }>(
        "SELECT lease_owner AS owner FROM jobs WHERE status = 'running' AND kind = 'generate'",
      )!.owner;
      const killed = workers.find((worker) => ownerOf(worker) === holder)!;
      const survivor = workers.find((worker) => worker !== killed)!;
      killed.child.kill('SIGKILL');
      await killed.exit;
      // the board hears of both cards: events, not polling, from another process
      await waitFor(() => cardStatus('recW1') === 'generated' && cardStatus('recW2') === 'generated', 12_000, 'both cards on the board');
      const firstOwner = ownerOf(killed);
      const secondOwner = ownerOf(survivor);

      const claims = store.db
        .all<{ detail: string }>("SELECT detail FROM events WHERE type = 'job_claimed' ORDER BY seq")
        .map((row) => ClaimSchema.parse(JSON.parse(row.detail)));
      const generateOwners = new Set(claims.filter((claim) => claim.lane !== 'publish').map((claim) => claim.owner));
      // every image was made by a worker, the killed one's job taken up by the other
      expect([...generateOwners].sort()).toEqual([firstOwner, secondOwner].sort());
    } finally {
      store.close();
    }
    const second = workers.find((worker) => worker.child.signalCode === null)!;

    // the fake's image is a flat colour: the safety gate wants a reason
    const approved = await desk.dispatch('approve', { articleId: 'recW1', overrideReason: 'test image' });
    expect(approved).toMatchObject({ ok: true });
    await waitFor(() => cardStatus('recW1') === 'published', 30_000, 'published by the desk');
    expect((await cardsOn(desk)).find((card) => card.articleId === 'recW1')?.image?.publishedUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/media\//,
    );

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.output()).toContain('worker stopped cleanly');
  }, 120_000);

  it("auto-approves as the desk's --auto-approve says, not as the config does (embedded defaults, in one process)", async () => {
    const dataDir = dirs.make();
    writeDemoSheet(dataDir);
    const desk = await startDesk(dataDir, { claimLanes: ['publish'], autoApproveMinScore: 5 });
    const worker = await startWorker({ dataDir, secrets: noSecrets, logger: silentLogger(), lanes: WORKER_DEFAULT_LANES });
    try {
      // title cards score 8: each is approved by the worker and published by the desk
      await waitFor(
        async () => {
          const all = await cardsOn(desk);
          return all.length === 2 && all.every((card) => card.status === 'published');
        },
        60_000,
        'both stories published',
      );
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it("shares a provider's concurrency between the desk and a worker (one GPU: one call at a time)", async () => {
    const gpu = await startFakeA1111({ latencyMs: () => 120 });
    let running = 0;
    let peak = 0;
    gpu.onCall = () => (peak = Math.max(peak, ++running));
    gpu.onAnswer = () => running--;
    const dataDir = dirs.make();
    const records = ['1', '2', '3', '4'].map((n) => ({
      recordId: `recG${n}`,
      fields: { Headline: `Story ${n}`, Summary: 'Summary.', Section: 'Local', Breaking: n === '1' || n === '2' },
    }));
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        ...storeConfigFor(dataDir),
        providers: { sd: { type: 'automatic1111', baseUrl: gpu.url, concurrency: 1 } },
        tiers: { breaking: { providers: ['sd'], concurrency: 2 }, regular: { providers: ['sd'], concurrency: 2 } },
        scorers: [{ type: 'local' }],
      }),
    );
    try {
      // the desk generates breaking news, the worker regular: both call the one GPU
      await startDesk(dataDir, { claimLanes: ['breaking', 'publish'] });
      const worker = await startWorker({ dataDir, secrets: noSecrets, logger: silentLogger(), lanes: ['regular'] });
      try {
        await waitFor(() => gpu.calls.length >= 6, 60_000, 'six calls to the GPU');
      } finally {
        await worker.stop();
      }
    } finally {
      await core?.stop();
      core = null;
      await gpu.close();
    }
    expect(peak).toBe(1);
  }, 90_000);

  it("follows the desk's saved settings: a tier's new provider chain is used by the worker at once", async () => {
    const dataDir = dirs.make();
    const configPath = join(dataDir, 'hero-desk.config.json');
    const writeConfig = (provider: string) =>
      writeFileSync(
        configPath,
        JSON.stringify({ ...storeConfigFor(dataDir), pollIntervalMs: 200, tiers: { regular: { providers: [provider] } } }),
      );
    const record = (id: string) => ({ recordId: id, fields: { Headline: `Story ${id}`, Summary: 'Summary.', Section: 'Local' } });
    const writeSheet = (ids: string[]) => writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records: ids.map(record) }));
    writeConfig('title-card');
    writeSheet(['recF1']);
    const desk = await startDesk(dataDir, { claimLanes: ['publish'] });
    const worker = await startWorker({
      dataDir,
      secrets: noSecrets,
      logger: silentLogger(),
      lanes: WORKER_DEFAULT_LANES,
      configPollMs: 50,
    });
    try {
      const providerOf = async (id: string) => (await cardsOn(desk)).find((card) => card.articleId === id)?.image?.provider;
      await waitFor(async () => (await providerOf('recF1')) === 'title-card', 30_000, 'the first story on title cards');
      // as the settings screen saves it: the file changes, the desk applies it live, and so does the worker
      writeConfig('default-image');
      await new Promise((resolve) => setTimeout(resolve, 300));
      writeSheet(['recF1', 'recF2']);
      await waitFor(async () => (await providerOf('recF2')) !== undefined, 30_000, 'the second story made');
      expect(await providerOf('recF2')).toBe('default-image');
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it('refuses to run on another machine than a desk that keeps its images on local disk, naming R2', async () => {
    const dataDir = dirs.make();
    writeDemoSheet(dataDir);
    await (await startDesk(dataDir)).stop();
    core = null;
    const store = deskStore(dataDir);
    try {
      // the desk's machine, as a desk elsewhere would have written it
      recordDeskHost(store, 'newsroom-desk-1');
    } finally {
      store.close();
    }
    await expect(startWorker({ dataDir, secrets: noSecrets, logger: silentLogger(), lanes: WORKER_DEFAULT_LANES })).rejects.toThrow(
      `the desk runs on newsroom-desk-1 and keeps images on its local disk: images made here on ${hostname()} could not be served. Give the desk and every worker R2 storage`,
    );
  }, 60_000);

  it('refuses to publish through the relay that runs in the desk, a folder with no desk, a store with no URL, naming the next step', async () => {
    const dataDir = dirs.make();
    await (await startDesk(dataDir)).stop();
    core = null;

    const publishing = spawnWorker(dataDir, ['--lanes', 'regular,publish']);
    expect(await publishing.exit).toBe(2);
    expect(publishing.output()).toContain(
      "hero-desk: this worker cannot take the publish lane: storage is on local disk, served by the desk's media server",
    );
    expect(publishing.output()).toContain('leave "publish" out of --lanes');

    // a store on PostgreSQL with no URL: the secret to set, not a stack trace
    const postgresDir = dirs.make();
    writeFileSync(join(postgresDir, 'hero-desk.config.json'), JSON.stringify({ store: { type: 'postgres' } }));
    const noUrl = spawnWorker(postgresDir, [], { HERO_DESK_SECRET_POSTGRESURL: '' });
    expect(await noUrl.exit).toBe(2);
    expect(noUrl.output()).toContain(
      'hero-desk: store: PostgreSQL needs its URL in the secret "postgresUrl": set HERO_DESK_SECRET_POSTGRESURL=postgres://user:password@host/db',
    );

    const nowhere = spawnWorker(join(dataDir, 'typo'));
    expect(await nowhere.exit).toBe(2);
    expect(nowhere.output()).toMatch(/holds no Hero Desk database: give the desk's data directory, or start the desk there first/);
  }, 60_000);
});
