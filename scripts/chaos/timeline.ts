// Plays the schedule: the newsroom adds and edits records, AITable fault windows open, the relay
// goes down for its outages. The schedule is written in planned time; the planned clock runs with
// the real one but is held to the kills' progress (kill i of K starts at i/K of the plan at the
// latest, and the clock does not run past (i+1)/K while kill i is pending). So when kills are slow
// (a stuck pipeline makes probes wait) new work and new faults still come all through the run.
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import { cellsFor, editedSummary } from './newsroom.ts';
import type { RelayControl } from './relay-control.ts';
import type { Say } from './report.ts';
import type { Schedule } from './schedule.ts';

export interface Timeline {
  /** Record ids of the arrivals added so far, by schedule index. */
  readonly recordIds: (string | undefined)[];
  /** Kill `index` (0-based) of `total` is about to be armed. */
  killCycle(index: number, total: number): void;
  /** Adds the next scheduled record now (nothing new to work on); false when none is left. */
  pullNextArrival(): boolean;
  /** Stops the clock: adds the arrivals still to come; edits, faults and outages not begun are dropped. */
  finish(): { lateArrivals: number; dropped: number };
}

interface Event {
  kind: 'arrival' | 'edit' | 'fault' | 'outage';
  atMs: number;
  run: () => void;
  done: boolean;
}

const TICK_MS = 200;

export function startTimeline(p: { schedule: Schedule; fake: FakeFusion; relay: RelayControl; say: Say; span: number }): Timeline {
  const { schedule, fake, relay, say, span } = p;
  const recordIds: (string | undefined)[] = [];
  const events: Event[] = [];
  const on = (kind: Event['kind'], atMs: number, run: () => void) => events.push({ kind, atMs, run, done: false });

  const arrive = (index: number, why: string) => {
    const arrival = schedule.arrivals[index];
    if (!arrival || recordIds[index] !== undefined) return false;
    recordIds[index] = fake.addRecord(cellsFor(arrival.story));
    say.verbose(`newsroom: “${arrival.story.headline}”${arrival.story.breaking ? ' (breaking)' : ''} ${why}`);
    return true;
  };

  schedule.arrivals.forEach((arrival, index) => on('arrival', arrival.atMs, () => arrive(index, 'typed in')));
  for (const edit of schedule.edits) {
    on('edit', edit.atMs, () => {
      const recordId = recordIds[edit.story];
      const story = schedule.arrivals[edit.story]?.story;
      if (!recordId || !story) return;
      fake.editRecord(recordId, { Summary: editedSummary(story) });
      say.verbose(`newsroom: edited “${story.headline}”`);
    });
  }
  for (const fault of schedule.faults) {
    on('fault', fault.fromMs, () => {
      const lengthMs = fault.untilMs - fault.fromMs;
      const now = Date.now();
      fake.addFault({
        kind: fault.kind,
        from: now,
        until: now + lengthMs,
        ratio: fault.ratio,
        retryAfterSeconds: fault.retryAfterSeconds,
        status: fault.status,
      });
      const detail =
        fault.kind === 'rate-limited'
          ? ` (Retry-After ${fault.retryAfterSeconds} s)`
          : fault.kind === 'server-error'
            ? ` (${fault.status})`
            : '';
      say(`AITable fault: ${fault.kind}${detail} for ${(lengthMs / 1000).toFixed(1)} s, ${Math.round(fault.ratio * 100)}% of requests`);
    });
  }
  for (const outage of schedule.relayOutages) on('outage', outage.atMs, () => relay.outage(outage.downMs, 'scheduled outage'));
  events.sort((a, b) => a.atMs - b.atMs);

  // the planned clock
  let planned = 0;
  let ceiling = span;
  let lastTick = Date.now();
  const tick = () => {
    const now = Date.now();
    planned = Math.min(ceiling, planned + (now - lastTick));
    lastTick = now;
    for (const event of events) {
      if (event.atMs > planned) break;
      if (event.done) continue;
      event.done = true;
      event.run();
    }
  };
  const timer = setInterval(tick, TICK_MS);

  return {
    recordIds,
    killCycle(index, total) {
      tick();
      planned = Math.max(planned, (index / total) * span);
      ceiling = ((index + 1) / total) * span;
      tick();
    },
    pullNextArrival() {
      const next = schedule.arrivals.findIndex((_, i) => recordIds[i] === undefined);
      return next >= 0 && arrive(next, 'typed in early (nothing new to work on)');
    },
    finish() {
      clearInterval(timer);
      let lateArrivals = 0;
      schedule.arrivals.forEach((_, index) => {
        if (arrive(index, 'typed in after the last kill')) lateArrivals += 1;
      });
      return { lateArrivals, dropped: events.filter((e) => !e.done && e.kind !== 'arrival').length };
    },
  };
}
