// The chaos run: fakes in-process (AITable with fault windows, AUTOMATIC1111 with GPU-like latency),
// the standalone relay as a child behind a tap, an independent reader, and Hero Desk as a child that
// is SIGKILLed at chosen stages and restarted on new ports. Then one clean run to quiescence, a
// SIGTERM, and the verdict from the database, the fake and the reader's log.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeFusionServer } from '../../test/aitable/fake-fusion-server.ts';
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import { startFakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import type { FakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import { collectArticles, collectIntegrity, collectRecords, collectUploads } from './collect.ts';
import type { Verdict, VerifyInput } from './facts.ts';
import { startHeroDesk, writeConfig } from './hero-desk.ts';
import type { HeroDeskRun, HeroDeskSetup } from './hero-desk.ts';
import { installHooks } from './hooks.ts';
import type { Hooks } from './hooks.ts';
import { pictureFor } from './images.ts';
import type { ChaosOptions, Timings } from './options.ts';
import { timingsFor } from './options.ts';
import { freePort, relaySupportsDataFile } from './processes.ts';
import { lateReaderSnapshot, startReader } from './reader.ts';
import type { Delivery, IndependentReader } from './reader.ts';
import { between, createRandom } from './random.ts';
import type { Random } from './random.ts';
import { startRelayControl } from './relay-control.ts';
import type { RelayControl } from './relay-control.ts';
import { startRelayTap } from './relay-tap.ts';
import type { RelayTap } from './relay-tap.ts';
import { describeInProgress } from './report.ts';
import type { KillRecord, Say } from './report.ts';
import { buildSchedule, STAGES } from './schedule.ts';
import type { Schedule, Stage } from './schedule.ts';
import { PROBES } from './stages.ts';
import type { ProbeContext } from './stages.ts';
import { glance } from './store-reader.ts';
import { startTimeline } from './timeline.ts';
import type { Timeline } from './timeline.ts';
import { verify } from './verify.ts';

export interface ChaosResult {
  verdict: Verdict;
  kills: KillRecord[];
  dir: string;
  durationMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const TRANSIENT = ['generating', 'scoring', 'publishing'];
const DONE = new Set(['published', 'failed', 'rejected']);

interface World {
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

export async function runChaos(options: ChaosOptions, say: Say): Promise<ChaosResult> {
  const startedAt = Date.now();
  const timings = timingsFor(options);
  const schedule = buildSchedule(options, timings);
  const runtime = createRandom(options.seed ^ 0x5eed);
  const world = await buildWorld(options, timings, schedule, say, runtime);
  const harness = new Harness(world, options, timings, schedule, say, runtime);
  const stopOnSignal = () => {
    say('interrupted: stopping the children');
    void harness.teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  try {
    await harness.chaos();
    await harness.finalRun();
    const verdict = harness.verdict();
    writeFileSync(join(world.dir, 'verdict.json'), JSON.stringify({ verdict, kills: harness.kills }, null, 2));
    return { verdict, kills: harness.kills, dir: world.dir, durationMs: Date.now() - startedAt };
  } finally {
    process.off('SIGINT', stopOnSignal);
    await harness.teardown();
    if (!options.keep) rmSync(world.dir, { recursive: true, force: true });
  }
}

async function buildWorld(options: ChaosOptions, timings: Timings, schedule: Schedule, say: Say, runtime: Random): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-chaos-'));
  const dataDir = join(dir, 'data');
  const logDir = join(dir, 'logs');
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(dir, 'schedule.json'), JSON.stringify({ options, timings, schedule }, null, 2));

  const secrets = { aitable: `chaos-${randomBytes(8).toString('hex')}`, relay: randomBytes(24).toString('base64url') };
  const fake = await startFakeFusionServer({ tokens: [secrets.aitable] });
  const a1111 = await startFakeA1111({ latencyMs: () => between(runtime, 200, 800), image: pictureFor });
  const dataFile = relaySupportsDataFile() ? join(dir, 'relay-data') : null;
  const relay = await startRelayControl({ port: await freePort(), secret: secrets.relay, dataFile, logDir, say });
  const tap = await startRelayTap({ port: relay.port });
  const reader = startReader(relay.wsUrl, join(dir, 'reader.jsonl'));
  const configPath = join(dir, 'hero-desk.config.json');
  writeConfig(configPath, { aitableBaseUrl: fake.baseUrl, datasheetId: fake.datasheetId, a1111Url: a1111.url, relayUrl: tap.url });
  say(
    `seed ${options.seed}: ${options.kills} kills, ${options.articles} articles, ${schedule.faults.length} AITable fault windows, ` +
      `relay down ${schedule.relayOutages.map((o) => `${(o.downMs / 1000).toFixed(0)} s`).join(' + ')}; ` +
      `relay ${dataFile ? 'with --data-file' : 'without --data-file (this relay keeps history in memory)'}`,
  );
  say.verbose(`temp dir ${dir}`);
  const setup: HeroDeskSetup = { dataDir, configPath, logDir, secrets, onLog: () => undefined };
  const hooks = installHooks(fake, a1111, tap);
  return { dir, dbPath: join(dataDir, 'hero-desk.db'), mediaDir, fake, a1111, relay, tap, reader, hooks, setup };
}

class Harness {
  readonly kills: KillRecord[] = [];
  private current: HeroDeskRun | null = null;
  private runs = 0;
  private unexpectedExits = 0;
  private expectingDeath = false;
  private timeline: Timeline | null = null;
  private finalStopNote: string | null = null;
  private lateDeliveries: Delivery[] | string | null = null;

  private readonly world: World;
  private readonly options: ChaosOptions;
  private readonly timings: Timings;
  private readonly schedule: Schedule;
  private readonly say: Say;
  private readonly random: Random;

  constructor(world: World, options: ChaosOptions, timings: Timings, schedule: Schedule, say: Say, random: Random) {
    this.world = world;
    this.options = options;
    this.timings = timings;
    this.schedule = schedule;
    this.say = say;
    this.random = random;
  }

  /** Starts Hero Desk if it is not running (new media and relay ports each time). */
  private async ensureRunning(): Promise<void> {
    if (this.current?.alive) return;
    for (let attempt = 1; ; attempt++) {
      this.runs += 1;
      try {
        const run = await startHeroDesk(this.world.setup, this.runs);
        this.current = run;
        this.expectingDeath = false;
        void run.exited.then((exit) => {
          if (this.current !== run || this.expectingDeath) return;
          this.unexpectedExits += 1;
          this.say(`Hero Desk exited on its own (code ${exit.code}, signal ${exit.signal}); see logs/hero-desk-${String(run.run).padStart(3, '0')}.log`);
        });
        this.say.verbose(`Hero Desk run ${run.run} up (pid ${run.pid}, media port ${run.mediaPort}) in ${Date.now() - run.startedAt} ms`);
        return;
      } catch (error) {
        this.say(`Hero Desk run ${this.runs} did not start: ${(error as Error).message}`);
        if (attempt >= 3) throw error;
        await sleep(1_000);
      }
    }
  }

  private async killHeroDesk(stage: Stage | 'anywhere', how: string): Promise<void> {
    const run = this.current;
    if (!run?.alive) return;
    this.expectingDeath = true;
    const at = Date.now();
    await run.stop('SIGKILL');
    const statuses = glance(this.world.dbPath)?.statuses ?? new Map<string, string>();
    const inProgress: Record<string, number> = {};
    for (const status of statuses.values()) if (TRANSIENT.includes(status)) inProgress[status] = (inProgress[status] ?? 0) + 1;
    const record: KillRecord = { index: this.kills.length + 1, stage, how, at, run: run.run, inProgress };
    this.kills.push(record);
    this.say(`kill ${record.index}/${this.options.kills} at ${stage}: ${how} (store: ${describeInProgress(inProgress)})`);
  }

  /**
   * Arms the probes of these stages; the first to see its stage in progress kills Hero Desk.
   * False when none showed up within waitMs (or Hero Desk died by itself meanwhile).
   */
  private async killAt(stages: readonly Stage[], waitMs: number): Promise<boolean> {
    let state: 'armed' | 'firing' | 'off' = 'armed';
    let killed!: () => void;
    const done = new Promise<void>((resolve) => (killed = resolve));
    const { fake, hooks, relay, mediaDir, dbPath } = this.world;
    const disarms = stages.map((stage) => {
      const ctx: ProbeContext = {
        hooks,
        fake,
        mediaDir,
        dbPath,
        random: this.random,
        bothChance: this.schedule.bothChance,
        relayUp: () => relay.up,
        relayDown: (ms, why) => relay.outage(ms, why),
        kill: async (how) => {
          if (state !== 'armed') return;
          state = 'firing';
          await this.killHeroDesk(stage, how);
          killed();
        },
      };
      return PROBES[stage](ctx);
    });
    const died = this.current?.exited.then(() => undefined);
    await Promise.race([done, sleep(waitMs), died]);
    const fired = (state as string) === 'firing';
    if (fired) await done; // a kill that started as time ran out
    else state = 'off';
    for (const disarm of disarms) disarm();
    return fired;
  }

  private pipelineDry(): boolean {
    const statuses = glance(this.world.dbPath)?.statuses;
    if (!statuses) return false;
    return this.world.fake.records.every((r) => DONE.has(statuses.get(r.recordId) ?? 'missing'));
  }

  async chaos(): Promise<void> {
    const { fake, relay } = this.world;
    await this.ensureRunning();
    this.timeline = startTimeline({ schedule: this.schedule, fake, relay, say: this.say, span: this.timings.chaosMs });
    for (let i = 0; i < this.options.kills; i++) {
      await this.ensureRunning();
      this.timeline.killCycle(i, this.options.kills);
      await sleep(between(this.random, 300, 1_500));
      if (this.pipelineDry()) this.timeline.pullNextArrival();
      const stage = this.schedule.kills[i] ?? 'ingest';
      let killed = await this.killAt([stage], this.timings.stageWaitMs);
      if (!killed && this.current?.alive) {
        // the planned stage is not happening now (e.g. nothing to publish): whichever stage shows up first
        this.say.verbose(`no ${stage} in progress within ${this.timings.stageWaitMs / 1000} s; watching every stage`);
        if (this.pipelineDry()) this.timeline.pullNextArrival();
        killed = await this.killAt(STAGES, this.timings.stageWaitMs / 2);
      }
      if (!killed) {
        await this.ensureRunning();
        await sleep(between(this.random, 0, 1_000));
        await this.killHeroDesk('anywhere', 'no targeted stage showed up; killed at a random moment');
      }
      await sleep(between(this.random, 100, 1_500)); // down for a moment before the restart
    }
    const { lateArrivals, dropped } = this.timeline.finish();
    this.say(`chaos over: ${this.kills.length} kills in ${this.runs} runs${lateArrivals ? `; ${lateArrivals} records typed in after the last kill` : ''}${dropped ? `; ${dropped} planned events not reached` : ''}`);
  }

  /** Faults cleared, one clean run until quiescent (or a bound), then SIGTERM. */
  async finalRun(): Promise<void> {
    const { fake, relay, dbPath } = this.world;
    fake.clearFaults();
    await relay.endOutages();
    this.say(`faults cleared, relay up; starting Hero Desk once more for a clean run (quiescence wait up to ${this.timings.finalTimeoutMs / 1000} s)`);
    await this.ensureRunning();
    const started = Date.now();
    let lastProgress = Date.now();
    let marker = '';
    let lastReport = 0;
    for (;;) {
      await sleep(1_000);
      const verdict = this.verdict(false);
      const open = glance(dbPath)?.openJobs ?? 0;
      if (verdict.lost.length === 0 && verdict.stuck.length === 0 && open === 0) {
        this.say(`quiescent after ${((Date.now() - started) / 1000).toFixed(1)} s: every article published, delivered and written back`);
        break;
      }
      // progress = an article finishing, a finding clearing, a delivery, or a write reaching AITable
      // (a job retrying the same failure over and over is not progress)
      const now = [verdict.lost.length, verdict.stuck.length, this.world.reader.deliveries.length, fake.requests.filter((r) => r.method !== 'GET').length].join();
      if (now !== marker) {
        marker = now;
        lastProgress = Date.now();
      }
      const status = `${verdict.articles - verdict.stuck.length}/${verdict.articles} finished, open jobs ${open}, lost ${verdict.lost.length}, stuck ${verdict.stuck.length}`;
      if (Date.now() - lastReport >= 5_000) {
        this.say(`waiting: ${status}`);
        lastReport = Date.now();
      }
      if (Date.now() - lastProgress >= this.timings.finalIdleMs) {
        this.say(`no progress for ${this.timings.finalIdleMs / 1000} s; stopping the wait (${status})`);
        break;
      }
      if (Date.now() - started >= this.timings.finalTimeoutMs) {
        this.say(`not quiescent after ${this.timings.finalTimeoutMs / 1000} s; stopping the wait (${status})`);
        break;
      }
    }
    this.lateDeliveries = await lateReaderSnapshot(relay.wsUrl);
    const run = this.current;
    if (run?.alive) {
      this.expectingDeath = true;
      const stopAt = Date.now();
      const exit = await run.stop('SIGTERM', 30_000);
      const took = Date.now() - stopAt;
      if (exit.signal === 'SIGKILL') this.finalStopNote = `Hero Desk did not stop within 30 s of SIGTERM and was killed`;
      else if (exit.code !== 0) this.finalStopNote = `Hero Desk exited with code ${exit.code} on SIGTERM`;
      this.say(`Hero Desk stopped with SIGTERM in ${(took / 1000).toFixed(1)} s (exit code ${exit.code ?? exit.signal})`);
    }
    await sleep(500); // let the last frames reach the reader
    await this.world.reader.stop();
    await relay.stop();
  }

  private facts(withIntegrity: boolean): VerifyInput {
    const { dbPath, mediaDir, fake, reader, relay } = this.world;
    return {
      records: collectRecords(fake),
      articles: collectArticles(dbPath, mediaDir),
      deliveries: reader.deliveries,
      lateDeliveries: withIntegrity ? this.lateDeliveries : null,
      uploads: collectUploads(fake),
      killTimes: this.kills.map((k) => k.at),
      kills: this.kills.length,
      integrity: withIntegrity ? collectIntegrity(dbPath, relay.dataFile) : [],
    };
  }

  /** The verdict; integrity is checked only at the end, once Hero Desk and the relay have stopped. */
  verdict(final = true): Verdict {
    const verdict = verify(this.facts(final));
    if (this.unexpectedExits > 0) verdict.notes.push(`Hero Desk exited on its own ${this.unexpectedExits} time(s) during the run (see logs/)`);
    if (this.finalStopNote) verdict.notes.push(this.finalStopNote);
    return verdict;
  }

  async teardown(): Promise<void> {
    const { fake, a1111, tap, relay, reader } = this.world;
    this.expectingDeath = true;
    await this.current?.stop('SIGKILL');
    await reader.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    await tap.close().catch(() => undefined);
    await fake.close().catch(() => undefined);
    await a1111.close().catch(() => undefined);
    writeFileSync(
      join(this.world.dir, 'aitable-requests.jsonl'),
      fake.requests.map((r) => JSON.stringify({ at: r.at, method: r.method, path: r.path, status: r.status, fault: r.fault })).join('\n'),
    );
  }
}
