// Plays the schedule against the clock: the newsroom adds and edits records, AITable fault
// windows open and close, the relay goes down for its outages.
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import { cellsFor, editedSummary } from './newsroom.ts';
import type { RelayControl } from './relay-control.ts';
import type { Say } from './report.ts';
import type { Schedule } from './schedule.ts';

export interface Timeline {
  /** Record ids of the arrivals added so far, by schedule index. */
  readonly recordIds: (string | undefined)[];
  /** Adds the next scheduled record now (the pipeline ran dry); false when none is left. */
  pullNextArrival(): boolean;
  /**
   * Kills can be slower than planned (a stuck pipeline makes probes wait): arrivals and edits are
   * due by the share of kills done too, whichever comes first, so new work keeps coming all run.
   */
  keepPace(fractionOfKills: number): void;
  /** Stops the clock: adds the arrivals still to come, drops edits and outages not yet begun. */
  finish(): { lateArrivals: number; droppedEdits: number };
}

export function startTimeline(p: { schedule: Schedule; fake: FakeFusion; relay: RelayControl; say: Say; t0: number; span: number }): Timeline {
  const { schedule, fake, relay, say, t0 } = p;
  const timers: NodeJS.Timeout[] = [];
  const recordIds: (string | undefined)[] = [];
  const at = (ms: number, run: () => void) => timers.push(setTimeout(run, Math.max(0, t0 + ms - Date.now())));
  let edited = 0;

  const arrive = (index: number, why: string) => {
    const arrival = schedule.arrivals[index];
    if (!arrival || recordIds[index] !== undefined) return false;
    recordIds[index] = fake.addRecord(cellsFor(arrival.story));
    say.verbose(`newsroom: “${arrival.story.headline}”${arrival.story.breaking ? ' (breaking)' : ''} ${why}`);
    return true;
  };

  schedule.arrivals.forEach((arrival, index) => at(arrival.atMs, () => arrive(index, 'typed in')));
  const editDone = new Set<number>();
  const applyEdit = (index: number) => {
    const edit = schedule.edits[index];
    const recordId = edit ? recordIds[edit.story] : undefined;
    const story = edit ? schedule.arrivals[edit.story]?.story : undefined;
    if (!recordId || !story || editDone.has(index)) return;
    editDone.add(index);
    fake.editRecord(recordId, { Summary: editedSummary(story) });
    edited += 1;
    say.verbose(`newsroom: edited “${story.headline}”`);
  };
  schedule.edits.forEach((edit, index) => at(edit.atMs, () => applyEdit(index)));
  for (const fault of schedule.faults) {
    fake.addFault({ kind: fault.kind, from: t0 + fault.fromMs, until: t0 + fault.untilMs, ratio: fault.ratio, retryAfterSeconds: fault.retryAfterSeconds, status: fault.status });
    const detail = fault.kind === 'rate-limited' ? ` (Retry-After ${fault.retryAfterSeconds} s)` : fault.kind === 'server-error' ? ` (${fault.status})` : '';
    at(fault.fromMs, () => say(`AITable fault: ${fault.kind}${detail} for ${((fault.untilMs - fault.fromMs) / 1000).toFixed(1)} s, ${Math.round(fault.ratio * 100)}% of requests`));
    at(fault.untilMs, () => say.verbose(`AITable fault over: ${fault.kind}`));
  }
  for (const outage of schedule.relayOutages) at(outage.atMs, () => relay.outage(outage.downMs, 'scheduled outage'));

  return {
    recordIds,
    pullNextArrival() {
      const next = schedule.arrivals.findIndex((_, i) => recordIds[i] === undefined);
      return next >= 0 && arrive(next, 'typed in early (the pipeline had run dry)');
    },
    keepPace(fraction) {
      const dueBy = fraction * p.span;
      schedule.arrivals.forEach((arrival, index) => {
        if (arrival.atMs <= dueBy) arrive(index, 'typed in');
      });
      schedule.edits.forEach((edit, index) => {
        if (edit.atMs <= dueBy) applyEdit(index);
      });
    },
    finish() {
      for (const timer of timers) clearTimeout(timer);
      let lateArrivals = 0;
      schedule.arrivals.forEach((_, index) => {
        if (arrive(index, 'typed in after the last kill')) lateArrivals += 1;
      });
      return { lateArrivals, droppedEdits: schedule.edits.length - edited };
    },
  };
}
