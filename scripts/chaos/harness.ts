// The chaos run, end to end: build the world (fakes, relay, reader), the chaos phase (kills at
// chosen stages, faults, outages), the clean final run, and the verdict from the database, the
// AITable fake and the reader's log.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChaosPhase } from './chaos-phase.ts';
import { collectArticles, collectIntegrity, collectRecords, collectUploads } from './collect.ts';
import type { Verdict } from './facts.ts';
import { runFinal } from './final-run.ts';
import type { ChaosOptions } from './options.ts';
import { timingsFor } from './options.ts';
import { createRandom } from './random.ts';
import type { Delivery } from './reader.ts';
import type { KillRecord, Say } from './report.ts';
import { buildSchedule } from './schedule.ts';
import { Supervisor } from './supervisor.ts';
import { verify } from './verify.ts';
import { buildWorld, closeWorld } from './world.ts';
import type { World } from './world.ts';

export interface ChaosResult {
  verdict: Verdict;
  kills: KillRecord[];
  dir: string;
  durationMs: number;
}

/** The verdict now; `late` (the late reader's snapshot) and integrity only once everything has stopped. */
function judge(world: World, hero: Supervisor, late: Delivery[] | string | null): Verdict {
  const final = late !== null;
  const verdict = verify({
    records: collectRecords(world.fake),
    articles: collectArticles(world.dbPath, world.mediaDir),
    deliveries: world.reader.deliveries,
    lateDeliveries: late,
    uploads: collectUploads(world.fake),
    killTimes: hero.kills.map((k) => k.at),
    kills: hero.kills.length,
    integrity: final ? collectIntegrity(world.dbPath, world.relay.dataFile) : [],
  });
  verdict.notes.push(...hero.notes);
  return verdict;
}

export async function runChaos(options: ChaosOptions, say: Say): Promise<ChaosResult> {
  const startedAt = Date.now();
  const timings = timingsFor(options);
  const schedule = buildSchedule(options, timings);
  const random = createRandom(options.seed ^ 0x5eed); // timing choices; the schedule has its own stream
  const world = await buildWorld(options, timings, schedule, say, random);
  const hero = new Supervisor(world.setup, world.dbPath, options.kills, say, {
    workers: options.workers,
    random: createRandom(options.seed ^ 0x3a7e),
  });
  const teardown = async () => {
    await hero.abort();
    await closeWorld(world);
  };
  const onSignal = () => {
    say('interrupted: stopping the children');
    void teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  try {
    await runChaosPhase({ world, hero, schedule, timings, options, random, say });
    const late = await runFinal({ world, hero, timings, say, judge: () => judge(world, hero, null) });
    const verdict = judge(world, hero, late);
    writeFileSync(join(world.dir, 'verdict.json'), JSON.stringify({ verdict, kills: hero.kills }, null, 2));
    return { verdict, kills: hero.kills, dir: world.dir, durationMs: Date.now() - startedAt };
  } finally {
    process.off('SIGINT', onSignal);
    await teardown();
    if (!options.keep) rmSync(world.dir, { recursive: true, force: true });
  }
}
