// Command-line options of `npm run chaos`, and the durations they imply. Everything scales with
// --kills, so `--kills 100` is the long run (relay down for a minute, ~10 minutes in all) and the CI
// preset is a short one (seconds-long outages, under two minutes).
import { parseArgs } from 'node:util';

export interface ChaosOptions {
  kills: number;
  articles: number;
  seed: number;
  keep: boolean;
  verbose: boolean;
  ci: boolean;
  /** `hero-desk worker`s beside the desk (which then claims only the publish lane); 0: the desk alone. */
  workers: number;
  /** Where the desk and workers keep their store: the SQLite file, or a PostgreSQL schema (HERO_DESK_TEST_PG_URL). */
  store: 'sqlite' | 'postgres';
}

export const USAGE = `npm run chaos -- [options]

  --kills N      SIGKILLs of Hero Desk spread over the pipeline's stages (default 40; CI preset 6)
  --articles N   records the newsroom types into AITable during the run (default: about 0.6 per kill)
  --seed N       reproduces the fault schedule (default: random, printed at the start)
  --keep         keep the temp dir (database, logs, reader log, request log) for inspection
  --verbose      print every fault window, restart and probe
  --workers N    run N \`hero-desk worker\`s beside the desk on its data directory (the desk then only
                 publishes); kills at generation, scoring and upload hit a worker (default 0)
  --store S      sqlite (default) or postgres: the store in a fresh schema of the PostgreSQL that
                 HERO_DESK_TEST_PG_URL names (bash scripts/postgres-test.sh npm run chaos -- --store postgres)
  --ci           the short run for CI (npm run chaos:ci)
  --help         this text`;

export function parseOptions(argv: string[]): ChaosOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      kills: { type: 'string' },
      articles: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      ci: { type: 'boolean', default: false },
      workers: { type: 'string' },
      store: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const ci = values.ci ?? false;
  const kills = count('--kills', values.kills, ci ? 6 : 40, 1, 1000);
  const articles = count('--articles', values.articles, ci ? 10 : Math.max(8, Math.round(kills * 0.6)), 1, 2000);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : count('--seed', values.seed, 0, 0, 2 ** 32 - 1);
  const workers = count('--workers', values.workers, 0, 0, 8);
  const store = values.store ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store must be sqlite or postgres (got "${store}")`);
  return { kills, articles, seed, keep: values.keep ?? false, verbose: values.verbose ?? false, ci, workers, store };
}

function count(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Durations that follow from the options (ms). */
export interface Timings {
  /** How long the chaos phase is expected to take; fault windows and arrivals are spread over it. */
  chaosMs: number;
  /** The relay's long outage ("down for a minute" in the long run). */
  relayOutageMs: number;
  /** Scale of the AITable fault windows (1 = the long run's lengths). */
  faultScale: number;
  /** Longest wait for one stage to show up before another is tried. */
  stageWaitMs: number;
  /** The clean final run: give up waiting for quiescence after this long … */
  finalTimeoutMs: number;
  /** … or after this long without progress (no article finishing, nothing delivered or written back). */
  finalIdleMs: number;
}

export function timingsFor(options: ChaosOptions): Timings {
  const { kills } = options;
  return {
    chaosMs: Math.max(30_000, kills * 4_500),
    relayOutageMs: clamp(kills * 600, 5_000, 60_000),
    faultScale: clamp(kills / 100, 0.12, 1),
    stageWaitMs: options.ci ? 5_000 : 6_000,
    finalTimeoutMs: options.ci ? 40_000 : clamp(60_000 + kills * 1_000, 60_000, 180_000),
    finalIdleMs: options.ci ? 15_000 : 30_000,
  };
}
