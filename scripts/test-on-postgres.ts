// `npm run test:pg`: the store, queue, write-back and worker suites again, on PostgreSQL
// (HERO_DESK_TEST_STORE=postgres; test/helpers/test-store.ts opens each test's store there). Needs
// HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run test:pg). As the other PostgreSQL
// suites: without one `npm test` on a laptop skips here, CI (which has one) fails.
import { spawnSync } from 'node:child_process';

export const SUITES_ON_BOTH = ['test/store', 'test/queue', 'test/writeback', 'test/cli/worker.test.ts'];

const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value !== 'false';
if (!process.env.HERO_DESK_TEST_PG_URL) {
  if (!truthy(process.env.HERO_DESK_REQUIRE_PG) && !truthy(process.env.CI)) {
    console.log('test:pg: skipped, no HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npm run test:pg)');
    process.exit(0);
  }
  console.error(
    'test:pg: HERO_DESK_TEST_PG_URL is not set but PostgreSQL is required here (CI or HERO_DESK_REQUIRE_PG): see scripts/postgres-test.sh',
  );
  process.exit(1);
}
const run = spawnSync('npx', ['vitest', 'run', ...SUITES_ON_BOTH, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, HERO_DESK_TEST_STORE: 'postgres' },
});
process.exit(run.status ?? 1);
