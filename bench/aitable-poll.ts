// AITable poll benchmark: a 10,000-record datasheet in the fake Fusion API, records created at
// random moments while a loop polls at the default interval, as the core does. Prints requests
// per poll and the delay from a record's creation to its first appearance in a poll result.
// Run: node bench/aitable-poll.ts   (HD_BENCH_MS=60000 for a longer run)
import { pathToFileURL } from 'node:url';
import { AitableConfigSchema, createAitableSource } from '../electron/core/adapters/aitable/index.ts';
import { startFakeFusionServer } from '../test/aitable/fake-fusion-server.ts';
import { isShort } from './report.ts';

const DATASHEET_SIZE = 10_000;
const NEW_RECORDS = 12;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function main(): Promise<void> {
  const durationMs = Number(process.env.HD_BENCH_MS ?? (isShort() ? 5_000 : 30_000));
  const fake = await startFakeFusionServer();
  try {
    const old = Date.now() - 7 * 86_400_000;
    for (let i = 0; i < DATASHEET_SIZE; i += 1) {
      fake.addRecord({ Headline: `Archive story ${i}`, Summary: 'Old news', Section: 'World' }, { at: old + i * 1000 });
    }
    const config = AitableConfigSchema.parse({ baseUrl: fake.baseUrl, datasheetId: fake.datasheetId });
    const source = createAitableSource(config, { secrets: { get: (name) => (name === 'aitable' ? 'test-token' : undefined) } });

    // creations scheduled at random moments across the run
    const createdAt = new Map<string, number>();
    const timers = Array.from({ length: NEW_RECORDS }, (_, i) =>
      setTimeout(
        () => {
          const id = fake.addRecord({ Headline: `Fresh story ${i}`, Summary: 'Just in', Section: 'Local' });
          createdAt.set(id, performance.now());
        },
        Math.random() * (durationMs - config.pollIntervalMs),
      ),
    );

    const requestsPerPoll: number[] = [];
    const pollMs: number[] = [];
    const latencies: number[] = [];
    let cursor: string | null = null;
    const end = performance.now() + durationMs;
    while (performance.now() < end) {
      const before = fake.requests.length;
      const started = performance.now();
      const result = await source.poll(cursor);
      pollMs.push(performance.now() - started);
      requestsPerPoll.push(fake.requests.length - before);
      cursor = result.cursor;
      for (const a of result.articles) {
        const at = createdAt.get(a.recordId);
        if (at !== undefined) latencies.push(performance.now() - at);
      }
      await new Promise((resolve) => setTimeout(resolve, config.pollIntervalMs));
    }
    timers.forEach(clearTimeout);

    const sorted = [...latencies].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n);
    console.log(
      `aitable-poll: datasheet ${DATASHEET_SIZE} records, poll interval ${config.pollIntervalMs} ms, ${requestsPerPoll.length} polls`,
    );
    console.log(
      `  requests per poll: min ${Math.min(...requestsPerPoll)}, max ${Math.max(...requestsPerPoll)}, total ${requestsPerPoll.reduce((a, b) => a + b, 0)}`,
    );
    console.log(
      `  poll duration ms: median ${round(
        percentile(
          [...pollMs].sort((a, b) => a - b),
          50,
        ),
      )}, max ${round(Math.max(...pollMs))}`,
    );
    console.log(`  new records seen: ${latencies.length}/${createdAt.size} (created ${createdAt.size} of ${NEW_RECORDS} scheduled)`);
    if (sorted.length) {
      console.log(
        `  creation → poll result ms: p50 ${round(percentile(sorted, 50))}, p90 ${round(percentile(sorted, 90))}, max ${round(sorted.at(-1) ?? NaN)}`,
      );
    }
  } finally {
    await fake.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
