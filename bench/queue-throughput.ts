// Queue cost per job at three table sizes: 1k, 10k and 100k finished jobs already in the file
// (pre-filled in one untimed transaction), then M new jobs are enqueued one commit each and run
// through the engine (claim + no-op + settle). Three durable transitions per job.
// Baselines in the same run, on the same pragmas: a minimal node:sqlite loop (one committed
// statement per transition) and plainjob (a SQLite queue from npm) on node:sqlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../electron/core/base/log.ts';
import { QueueEngine } from '../electron/core/queue/engine.ts';
import { insertArticle } from '../electron/core/store/articles.ts';
import { enqueueJob, openJobCount } from '../electron/core/store/jobs.ts';
import { Store } from '../electron/core/store/store.ts';
import { isShort, note, report } from './report.ts';
import { runMinimalSqlite, runPlainjob, type QueueRun } from './queue-baselines.ts';

const CONCURRENCY = 8;

/** Rows numbered 1..n, for filling a table in one statement. */
const SERIES = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)';

/** Stories and jobs long finished, with the events they left, as a file in use for months holds them. */
function prefillProject(store: Store, existing: number): void {
  const now = store.now() - 86_400_000;
  store.db.transaction(() => {
    store.db.run(
      `${SERIES} INSERT INTO articles (id, source, headline, summary, section, story_type, breaking, content_hash, status, tier,
         routed_tier, prompt, prompt_override, policy, created_at, updated_at)
       SELECT 'old' || i, 'bench', 'old ' || i, '', 'Local', NULL, 0, 'h' || i, 'published', 'regular', 'regular', 'p', NULL, NULL, ?, ? FROM n`,
      existing,
      now,
      now,
    );
    store.db.run(
      `${SERIES} INSERT INTO jobs (kind, lane, article_id, priority, status, run_after, attempts, max_attempts, created_at, updated_at, finished_at)
       SELECT 'generate', 'regular', 'old' || i, i % 3, 'done', ?, 1, 3, ?, ?, ? FROM n`,
      existing,
      now,
      now,
      now,
      now,
    );
    store.db.run(
      `${SERIES} INSERT INTO events (at, type, article_id, detail) SELECT ?, 'job_done', 'old' || (i / 3 + 1), '{}' FROM n`,
      existing * 3,
      now,
    );
  });
}

/** The project's engine on one lane of CONCURRENCY, every job a no-op: what the queue benches time. */
export function noopEngine(store: Store): QueueEngine {
  return new QueueEngine({
    store,
    logger: silentLogger(),
    pollMs: 5,
    lanes: [
      { name: 'regular', concurrency: CONCURRENCY, deadlineMs: null, next: null, maxAttempts: 3, backoffBaseMs: 10, backoffCapMs: 100 },
    ],
    handlers: { generate: { run: async () => ({ type: 'done' }) }, publish: { run: async () => ({ type: 'done' }) } },
  });
}

/** A story for a bench job to belong to (jobs reference their article). */
export function benchArticle(id: string) {
  return {
    id,
    source: 'bench',
    headline: id,
    summary: '',
    section: 'Local',
    storyType: null,
    breaking: false,
    contentHash: id,
    tier: 'regular' as const,
    prompt: 'p',
    promptOverride: null,
    policy: null,
  };
}

export async function runProject(file: string, existing: number, jobs: number): Promise<QueueRun> {
  const store = new Store(file);
  prefillProject(store, existing);
  store.transaction(() => {
    for (let i = 0; i < jobs; i++) insertArticle(store, benchArticle(`rec${i}`));
  });
  const engine = noopEngine(store);
  try {
    const enqueueStarted = performance.now();
    for (let i = 0; i < jobs; i++) {
      // one commit per job, as the ingest does it
      store.transaction(() =>
        enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: `rec${i}`, priority: i % 3, deadlineAt: null, maxAttempts: 3 }),
      );
    }
    const enqueueMs = performance.now() - enqueueStarted;
    const runStarted = performance.now();
    engine.start();
    while (openJobCount(store) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const runMs = performance.now() - runStarted;
    return { enqueueMs, runMs, jobs };
  } finally {
    await engine.stop();
    store.close();
  }
}

/** The run whose total time is the median. */
export function medianRun(runs: QueueRun[]): QueueRun {
  const sorted = [...runs].sort((a, b) => a.enqueueMs + a.runMs - (b.enqueueMs + b.runMs));
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const transitionsPerSecond = (run: QueueRun): number => (3 * run.jobs) / ((run.enqueueMs + run.runMs) / 1000);

export async function main(): Promise<void> {
  const sizes = isShort() ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const jobs = isShort() ? 1_000 : 3_000;
  const rounds = isShort() ? 1 : 5;
  console.log(
    `queue: ${jobs} jobs enqueued (one commit each), claimed, run (no-op) and settled; concurrency ${CONCURRENCY}; WAL, synchronous=NORMAL`,
  );
  console.log('  transitions/s = 3 × jobs ÷ (enqueue time + claim/settle time)');
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-bench-queue-'));
  const project: number[] = [];
  const relative: number[] = [];
  let plainjobMissing: string | null = null;
  try {
    for (const existing of sizes) {
      console.log(
        `${existing.toLocaleString('en')} finished jobs already in the table (median of ${rounds} rounds, each on a fresh file, taking turns):`,
      );
      const runs: { base: QueueRun[]; ours: QueueRun[]; plain: QueueRun[] } = { base: [], ours: [], plain: [] };
      for (let round = 0; round < rounds; round++) {
        const file = (who: string) => join(dir, `${who}-${existing}-${round}.sqlite`);
        runs.base.push(runMinimalSqlite(file('minimal'), existing, jobs));
        runs.ours.push(await runProject(file('project'), existing, jobs));
        if (plainjobMissing === null) {
          try {
            runs.plain.push(await runPlainjob(file('plainjob'), existing, jobs));
          } catch (error) {
            plainjobMissing = error instanceof Error ? error.message : String(error);
          }
        }
      }
      const ours = medianRun(runs.ours);
      const baseline = medianRun(runs.base);
      const oursTps = transitionsPerSecond(ours);
      const baseTps = transitionsPerSecond(baseline);
      project.push(oursTps);
      relative.push(oursTps / baseTps);
      console.log(
        `  project: enqueue ${(jobs / (ours.enqueueMs / 1000)).toFixed(0)} jobs/s, claim+settle ${(jobs / (ours.runMs / 1000)).toFixed(0)} jobs/s; ` +
          `node:sqlite loop: enqueue ${(jobs / (baseline.enqueueMs / 1000)).toFixed(0)} jobs/s, claim+settle ${(jobs / (baseline.runMs / 1000)).toFixed(0)} jobs/s`,
      );
      report({
        name: `queue transitions/s at ${existing.toLocaleString('en')} jobs`,
        unit: 'transitions/s',
        project: oursTps,
        baseline: baseTps,
        baselineName: 'minimal node:sqlite loop',
        higherIsBetter: true,
        target: { text: '≥ 5,000/s and ≥ 0.5× baseline', met: oursTps >= 5_000 && oursTps >= 0.5 * baseTps },
      });
      if (runs.plain.length > 0) {
        report({
          name: `queue transitions/s at ${existing.toLocaleString('en')} jobs`,
          unit: 'transitions/s',
          project: oursTps,
          baseline: transitionsPerSecond(medianRun(runs.plain)),
          baselineName: 'plainjob 0.0.14 on node:sqlite',
          higherIsBetter: true,
        });
      }
    }
    if (plainjobMissing) note(`plainjob baseline not run: ${plainjobMissing}`);
    const flat = Math.min(...project) / Math.max(...project);
    console.log(
      `  flatness: slowest ÷ fastest table size = ${flat.toFixed(2)} (target ≥ 0.80, i.e. within 20 %): ${flat >= 0.8 ? 'MET' : 'NOT MET'}`,
    );
    // the load on a shared machine moves between sizes; the ratio to the loop run beside it does not
    const flatRelative = Math.min(...relative) / Math.max(...relative);
    console.log(
      `  flatness of the ratio to the node:sqlite loop (same rounds, load taken out) = ${flatRelative.toFixed(2)} (target ≥ 0.80): ${flatRelative >= 0.8 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
