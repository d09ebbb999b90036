// `npm run bench`: every benchmark in turn, printing its numbers. Targets live here, not in
// timed tests. Pass names to run a subset: `npm run bench -- variants relay-latency`.
import { main as aitablePoll } from './aitable-poll.ts';
import { main as queueThroughput } from './queue-throughput.ts';
import { main as relayLatency } from './relay-latency.ts';
import { main as variants } from './variants.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  'queue-throughput': queueThroughput,
  variants,
  'aitable-poll': aitablePoll,
  'relay-latency': relayLatency,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
process.exit(0);
