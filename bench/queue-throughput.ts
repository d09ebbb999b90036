// Queue engine throughput on a real SQLite file: jobs claimed, run (no-op) and settled per
// second, and the peak RSS while doing it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../electron/core/log.ts';
import { QueueEngine } from '../electron/core/queue/engine.ts';
import { insertArticle } from '../electron/core/store/articles.ts';
import { countJobs, enqueueJob } from '../electron/core/store/jobs.ts';
import { Store } from '../electron/core/store/store.ts';

const JOBS = 2_000;

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-bench-'));
  const store = new Store(join(dir, 'bench.sqlite'));
  store.transaction(() => {
    for (let i = 0; i < JOBS; i++) {
      const id = `rec${i}`;
      insertArticle(store, { id, source: 'bench', headline: id, summary: '', section: 'Local', storyType: null, breaking: false, contentHash: id, tier: 'regular', prompt: 'p', promptOverride: null, policy: null });
      enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: id, priority: i % 3, deadlineAt: null, maxAttempts: 3 });
    }
  });
  let peakRss = 0;
  const engine = new QueueEngine({
    store,
    logger: silentLogger(),
    pollMs: 5,
    lanes: [{ name: 'regular', concurrency: 8, deadlineMs: null, next: null, maxAttempts: 3, backoffBaseMs: 10, backoffCapMs: 100 }],
    handlers: {
      generate: { run: async () => ({ type: 'done' }) },
      publish: { run: async () => ({ type: 'done' }) },
    },
  });
  const started = performance.now();
  engine.start();
  while (countJobs(store, 'done') < JOBS) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`queue: ${JOBS} jobs claimed+settled in ${seconds.toFixed(2)} s = ${(JOBS / seconds).toFixed(0)} jobs/s (concurrency 8, WAL)`);
  console.log(`queue: peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
}

if (import.meta.main) await main();
