// The clean end: faults cleared and the relay up, Hero Desk started once more and left alone until
// it is quiescent (every article published, delivered and written back, no open jobs, the write-back
// outbox drained), until nothing progresses for a while, or until a timeout. Then a reader page
// opened late, and SIGTERM.
import type { Verdict } from './facts.ts';
import type { Timings } from './options.ts';
import { lateReaderSnapshot } from './reader.ts';
import type { Delivery } from './reader.ts';
import type { Say } from './report.ts';
import { glance } from './store-reader.ts';
import type { Supervisor } from './supervisor.ts';
import type { World } from './world.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runFinal(p: {
  world: World;
  hero: Supervisor;
  timings: Timings;
  say: Say;
  judge: () => Verdict;
}): Promise<Delivery[] | string> {
  const { world, hero, timings, say } = p;
  world.fake.clearFaults();
  await world.relay.endOutages();
  say(`faults cleared, relay up; starting Hero Desk once more for a clean run (quiescence wait up to ${timings.finalTimeoutMs / 1000} s)`);
  await hero.ensureRunning();
  const started = Date.now();
  let lastProgress = Date.now();
  let marker = '';
  let lastReport = 0;
  for (;;) {
    await sleep(1_000);
    const verdict = p.judge();
    const store = glance(world.dbPath);
    const open = store?.openJobs ?? 0;
    const outbox = store?.pendingWriteBacks ?? 0;
    if (verdict.lost.length === 0 && verdict.stuck.length === 0 && open === 0 && outbox === 0) {
      say(`quiescent after ${((Date.now() - started) / 1000).toFixed(1)} s: every article published, delivered and written back`);
      break;
    }
    // progress = an article finishing, a finding clearing, a delivery, or a write reaching AITable
    // (a job retrying the same failure over and over is not progress)
    const now = [
      verdict.lost.length,
      verdict.stuck.length,
      outbox,
      world.reader.deliveries.length,
      world.fake.requests.filter((r) => r.method !== 'GET').length,
    ].join();
    if (now !== marker) {
      marker = now;
      lastProgress = Date.now();
    }
    const status =
      `${verdict.articles - verdict.stuck.length}/${verdict.articles} finished, open jobs ${open}` +
      `${store?.pendingWriteBacks === null ? '' : `, write-backs pending ${outbox}`}, lost ${verdict.lost.length}, stuck ${verdict.stuck.length}`;
    if (Date.now() - lastReport >= 5_000) {
      say(`waiting: ${status}`);
      lastReport = Date.now();
    }
    if (Date.now() - lastProgress >= timings.finalIdleMs) {
      say(`no progress for ${timings.finalIdleMs / 1000} s; stopping the wait (${status})`);
      break;
    }
    if (Date.now() - started >= timings.finalTimeoutMs) {
      say(`not quiescent after ${timings.finalTimeoutMs / 1000} s; stopping the wait (${status})`);
      break;
    }
  }
  const late = await lateReaderSnapshot(world.relay.wsUrl);
  await hero.stopGracefully();
  await sleep(500); // let the last frames reach the reader
  await world.reader.stop();
  await world.relay.stop();
  return late;
}
