// `npm run bench`: every benchmark in turn, each figure next to a baseline measured in the same
// run, with the ratio and the load; a summary at the end. Targets live here, not in timed tests.
// Pass names to run a subset (`npm run bench -- variants queue-throughput`), and `--short` for a
// quick pass (fewer rounds and sizes; `npm run bench:short`).
import { main as aitablePoll } from './aitable-poll.ts';
import { main as deskLatency } from './desk-latency.ts';
import { main as deskWorkers } from './desk-workers.ts';
import { main as endToEnd } from './end-to-end.ts';
import { main as idleFootprint } from './idle-footprint.ts';
import { main as mainEventLoop } from './main-event-loop.ts';
import { main as queuePostgres } from './queue-postgres.ts';
import { main as queueThroughput } from './queue-throughput.ts';
import { main as relayLatency } from './relay-latency.ts';
import { main as relayMemory } from './relay-memory.ts';
import { machine, summary } from './report.ts';
import { relaunchWithLeanAllocator } from '../electron/cli/lean-allocator.ts';
import { main as variants } from './variants.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  'queue-throughput': queueThroughput,
  'queue-postgres': queuePostgres,
  variants,
  'end-to-end': endToEnd,
  'relay-latency': relayLatency,
  'relay-memory': relayMemory,
  'idle-footprint': idleFootprint,
  'aitable-poll': aitablePoll,
  'desk-latency': deskLatency,
  'main-event-loop': mainEventLoop,
  'desk-workers': deskWorkers,
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
// the desk runs under the launcher's allocator settings (bin/hero-desk.mjs); so do the benchmarks
relaunchWithLeanAllocator();
console.log(`machine: ${machine()}`);
console.log(
  `allocator: MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'} MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset'} (as bin/hero-desk.mjs starts the desk)`,
);
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
summary();
console.log(`\nmachine at the end: ${machine()}`);
process.exit(0);
