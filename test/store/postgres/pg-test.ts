// Real PostgreSQL for the tests: HERO_DESK_TEST_PG_URL names a database (scripts/postgres-test.sh starts
// one). Without it the suites skip here and say why; under CI (or HERO_DESK_REQUIRE_PG=1, which .ci/run
// sets) they fail instead, so a CI machine that lost its PostgreSQL cannot pass by skipping.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'vitest';
import pg from 'pg';
import { connectPostgres, type PostgresConnection } from '../../../electron/core/store/postgres/connection.ts';
import { migratePostgres } from '../../../electron/core/store/postgres/migrations.ts';
import { PostgresJobQueue } from '../../../electron/core/store/postgres/job-queue.ts';

export const PG_URL = process.env.HERO_DESK_TEST_PG_URL;
const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value !== 'false';
export const PG_REQUIRED = truthy(process.env.HERO_DESK_REQUIRE_PG) || truthy(process.env.CI);

export function describePostgres(name: string, suite: () => void): void {
  if (PG_URL) {
    describe(name, suite);
    return;
  }
  if (PG_REQUIRED) {
    describe(name, () =>
      it('has a PostgreSQL to run against', () => {
        throw new Error(
          'HERO_DESK_TEST_PG_URL is not set but PostgreSQL is required here (CI or HERO_DESK_REQUIRE_PG): see scripts/postgres-test.sh',
        );
      }),
    );
    return;
  }
  console.warn(`${name}: skipped, no HERO_DESK_TEST_PG_URL (bash scripts/postgres-test.sh npx vitest run test/store/postgres)`);
  describe.skip(
    `${name} — skipped: no HERO_DESK_TEST_PG_URL (run: bash scripts/postgres-test.sh npx vitest run test/store/postgres)`,
    suite,
  );
}

/**
 * Each test gets schemas of its own (dropped afterwards), so tests never see each other's jobs, locks or
 * notifications. `open()` makes another connection (another worker) to the same schema.
 */
export function postgresSchemas(): {
  fresh(): Promise<{
    schema: string;
    open(max?: number): PostgresConnection;
    queue(connection?: PostgresConnection): Promise<PostgresJobQueue>;
  }>;
} {
  const opened: PostgresConnection[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((connection) => connection.close()));
    if (schemas.length === 0) return;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${admin.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await admin.end();
    }
  });
  return {
    async fresh() {
      const schema = `hd_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      schemas.push(schema);
      const open = (max?: number) => {
        const connection = connectPostgres(PG_URL!, { schema, max });
        opened.push(connection);
        return connection;
      };
      const first = open();
      await migratePostgres(first);
      return { schema, open, queue: async (connection = open()) => new PostgresJobQueue(connection) };
    },
  };
}

export const job = (articleId: string, options: { lane?: string; priority?: number; maxAttempts?: number } = {}) => ({
  kind: 'generate' as const,
  lane: options.lane ?? 'regular',
  articleId,
  priority: options.priority ?? 0,
  deadlineAt: null,
  maxAttempts: options.maxAttempts ?? 3,
});
