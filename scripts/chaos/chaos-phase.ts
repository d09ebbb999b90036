// The chaos phase: for each planned kill, arm the probe of its stage and let it kill Hero Desk
// when that stage is in progress; if the stage does not show up, watch every stage for a while;
// if still nothing, kill at a random moment. Hero Desk restarts after a short, random downtime.
import type { ChaosOptions, Timings } from './options.ts';
import { between } from './random.ts';
import type { Random } from './random.ts';
import type { Say } from './report.ts';
import { STAGES } from './schedule.ts';
import type { Schedule, Stage } from './schedule.ts';
import { PROBES } from './stages.ts';
import type { ProbeContext } from './stages.ts';
import { glance } from './store-reader.ts';
import type { Supervisor } from './supervisor.ts';
import { startTimeline } from './timeline.ts';
import type { World } from './world.ts';

/** Where a new record's journey starts: while none is here, the early stages have nothing to show. */
const UPSTREAM = new Set(['pending', 'generating', 'scoring', 'generated']);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Phase {
  world: World;
  hero: Supervisor;
  schedule: Schedule;
  timings: Timings;
  options: ChaosOptions;
  random: Random;
  say: Say;
}

/** Arms the probes of these stages; the first to see its stage in progress kills Hero Desk. False if none did within waitMs. */
async function killAt(p: Phase, stages: readonly Stage[], waitMs: number): Promise<boolean> {
  let state: 'armed' | 'firing' | 'off' = 'armed';
  let killed!: () => void;
  const done = new Promise<void>((resolve) => (killed = resolve));
  const { fake, hooks, relay, mediaDir, dbPath } = p.world;
  const disarms = stages.map((stage) => {
    const ctx: ProbeContext = {
      hooks,
      fake,
      mediaDir,
      dbPath,
      random: p.random,
      bothChance: p.schedule.bothChance,
      relayUp: () => relay.up,
      relayDown: (ms, why) => relay.outage(ms, why),
      kill: async (how) => {
        if (state !== 'armed') return;
        state = 'firing';
        await p.hero.kill(stage, how);
        killed();
      },
    };
    return PROBES[stage](ctx);
  });
  await Promise.race([done, sleep(waitMs), p.hero.exited()]);
  const fired = (state as string) === 'firing';
  if (fired)
    await done; // a kill that started as time ran out
  else state = 'off';
  for (const disarm of disarms) disarm();
  return fired;
}

/** Every record typed so far is past generation (or stuck there): time for the newsroom's next story. */
function nothingUpstream(world: World): boolean {
  const statuses = glance(world.dbPath)?.statuses;
  return (
    statuses !== undefined && world.fake.records.every((r) => statuses.has(r.recordId) && !UPSTREAM.has(statuses.get(r.recordId) ?? ''))
  );
}

export async function runChaosPhase(p: Phase): Promise<void> {
  const { world, hero, options, timings, random, say } = p;
  await hero.ensureRunning();
  const timeline = startTimeline({ schedule: p.schedule, fake: world.fake, relay: world.relay, say, span: timings.chaosMs });
  for (let i = 0; i < options.kills; i++) {
    await hero.ensureRunning();
    timeline.killCycle(i, options.kills);
    await sleep(between(random, 300, 1_500));
    if (nothingUpstream(world)) timeline.pullNextArrival();
    const stage = p.schedule.kills[i] ?? 'ingest';
    let killed = await killAt(p, [stage], timings.stageWaitMs);
    if (!killed && hero.alive) {
      // the planned stage is not happening now (e.g. nothing to publish): whichever stage shows up first
      say.verbose(`no ${stage} in progress within ${timings.stageWaitMs / 1000} s; watching every stage`);
      if (nothingUpstream(world)) timeline.pullNextArrival();
      killed = await killAt(p, STAGES, timings.stageWaitMs / 2);
    }
    if (!killed) {
      await hero.ensureRunning();
      await sleep(between(random, 0, 1_000));
      await hero.kill('anywhere', 'no targeted stage showed up; killed at a random moment');
    }
    await sleep(between(random, 100, 1_500)); // down for a moment before the restart
  }
  const { lateArrivals, dropped } = timeline.finish();
  say(
    `chaos over: ${hero.kills.length} kills in ${hero.runCount} runs` +
      `${lateArrivals ? `; ${lateArrivals} records typed in after the last kill` : ''}${dropped ? `; ${dropped} planned events not reached` : ''}`,
  );
}
