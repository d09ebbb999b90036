// The fault schedule, fixed by the seed before anything runs: when records arrive and are edited,
// which AITable fault windows open when, when the relay goes down, and which stage each kill targets.
// (When exactly a kill lands depends on when its stage shows up, so timings vary between runs;
// the plan does not.)
import type { FaultKind } from '../../test/aitable/fake-faults.ts';
import { FAULT_KINDS } from '../../test/aitable/fake-faults.ts';
import { writeStory } from './newsroom.ts';
import type { Story } from './newsroom.ts';
import type { ChaosOptions, Timings } from './options.ts';
import { between, createRandom, intBetween, pick, shuffle } from './random.ts';

export const STAGES = ['ingest', 'generation', 'scoring', 'upload', 'publish', 'write-back'] as const;
export type Stage = (typeof STAGES)[number];

export interface Arrival {
  atMs: number;
  story: Story;
}

export interface Edit {
  atMs: number;
  /** Index into arrivals. */
  story: number;
}

export interface PlannedFault {
  kind: FaultKind;
  fromMs: number;
  untilMs: number;
  ratio: number;
  retryAfterSeconds?: number;
  status?: number;
}

export interface Outage {
  atMs: number;
  downMs: number;
}

export interface Schedule {
  arrivals: Arrival[];
  edits: Edit[];
  faults: PlannedFault[];
  relayOutages: Outage[];
  kills: Stage[];
  /** Chance that a kill right after the relay accepted a publication takes the relay down too. */
  bothChance: number;
}

/** Long-run length range (s) and share of requests hit, per fault kind; scaled down for short runs. */
const FAULT_SHAPES: Record<FaultKind, { seconds: [number, number]; ratio: number }> = {
  unauthorized: { seconds: [10, 30], ratio: 1 },
  'rate-limited': { seconds: [10, 25], ratio: 1 },
  'server-error': { seconds: [15, 40], ratio: 0.8 },
  hang: { seconds: [6, 15], ratio: 0.6 },
  'html-error': { seconds: [8, 20], ratio: 0.8 },
  'truncated-json': { seconds: [6, 15], ratio: 0.5 },
};

export function buildSchedule(options: ChaosOptions, timings: Timings): Schedule {
  const random = createRandom(options.seed);
  const span = timings.chaosMs;

  const arrivals = Array.from({ length: options.articles }, (_, i) => ({
    atMs: between(random, 0, span * 0.85),
    story: writeStory(random, i, 0.2),
  }))
    .sort((a, b) => a.atMs - b.atMs)
    .map((arrival, i) => ({ ...arrival, story: { ...arrival.story, headline: arrival.story.headline.replace(/#\d+/, `#${i + 1}`) } }));
  const editCount = Math.max(1, Math.round(options.articles / 10));
  const edits = shuffle(
    random,
    arrivals.map((_, i) => i),
  )
    .slice(0, editCount)
    .map((story) => ({ story, atMs: Math.min(span, (arrivals[story]?.atMs ?? 0) + between(random, 8_000, span * 0.3)) }))
    .sort((a, b) => a.atMs - b.atMs);

  // every fault kind at least once (twice in long runs), in random order, spread with gaps
  const rounds = options.kills >= 50 ? 2 : 1;
  const kinds = shuffle(random, Array.from({ length: rounds }, () => [...FAULT_KINDS]).flat());
  const faults: PlannedFault[] = [];
  let cursor = span * 0.05;
  const gap = (span * 0.85) / kinds.length;
  for (const kind of kinds) {
    const shape = FAULT_SHAPES[kind];
    const lengthMs = Math.max(1_500, between(random, shape.seconds[0], shape.seconds[1]) * 1000 * timings.faultScale);
    const fromMs = cursor + between(random, 0, Math.max(0, gap - lengthMs) * 0.5);
    faults.push({
      kind,
      fromMs,
      untilMs: fromMs + lengthMs,
      ratio: shape.ratio,
      ...(kind === 'rate-limited' ? { retryAfterSeconds: intBetween(random, 1, 5) } : {}),
      ...(kind === 'server-error' ? { status: pick(random, [500, 502, 503]) } : {}),
    });
    cursor = Math.max(cursor + gap, fromMs + lengthMs + 1_000);
  }

  const relayOutages: Outage[] = [{ atMs: between(random, span * 0.25, span * 0.5), downMs: timings.relayOutageMs }];
  for (let i = 0; i < (options.kills >= 20 ? 2 : 0); i++)
    relayOutages.push({ atMs: between(random, span * 0.55, span * 0.9), downMs: between(random, 3_000, 10_000) });
  relayOutages.sort((a, b) => a.atMs - b.atMs);

  const kills: Stage[] = [];
  while (kills.length < options.kills) kills.push(...shuffle(random, STAGES));
  return { arrivals, edits, faults, relayOutages, kills: kills.slice(0, options.kills), bothChance: 0.5 };
}
