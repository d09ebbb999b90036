// `npm run chaos` (long: `npm run chaos -- --kills 100`; CI: `npm run chaos:ci`). Prints progress,
// the per-stage kill tally, the details of every nonzero figure, and last the one-line summary;
// exits 1 when any figure is not zero or integrity is not ok.
import { runChaos } from './harness.ts';
import { parseOptions, USAGE } from './options.ts';
import { createSay, details, killTally, passed, summaryLine } from './report.ts';

let parsed;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`chaos: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed === 'help') {
  console.log(USAGE);
  process.exit(0);
}
const options = parsed;
if (options.store === 'postgres' && !process.env.HERO_DESK_TEST_PG_URL) {
  // as the PostgreSQL test suites: `npm test` on a laptop without PostgreSQL skips, CI (which has one) fails
  const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value !== 'false';
  if (options.ci && !truthy(process.env.HERO_DESK_REQUIRE_PG) && !truthy(process.env.CI)) {
    console.log(
      'chaos: skipped, --store postgres and no HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run chaos:workers:pg:ci)',
    );
    process.exit(0);
  }
  console.error('chaos: --store postgres needs HERO_DESK_TEST_PG_URL: run it under bash scripts/postgres-test.sh');
  process.exit(2);
}
const say = createSay(options.verbose);
try {
  const result = await runChaos(options, say);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out('');
  for (const line of killTally(result.kills)) out(line);
  out('');
  for (const line of details(result.verdict)) out(line);
  out(
    `run took ${(result.durationMs / 1000).toFixed(0)} s; seed ${options.seed}${options.keep ? `; kept ${result.dir}` : ' (re-run with --seed and --keep to inspect)'}`,
  );
  out(summaryLine(result.verdict));
  process.exit(passed(result.verdict) ? 0 : 1);
} catch (error) {
  console.error(`chaos: the harness itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
}
