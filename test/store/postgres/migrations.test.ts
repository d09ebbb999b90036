// PostgreSQL migrations: versioned in schema_version, idempotent, safe when several workers start at once.
import { expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../electron/core/store/postgres/migrations.ts';
import { describePostgres, postgresSchemas } from './pg-test.ts';

const schemas = postgresSchemas();

describePostgres('PostgreSQL migrations', () => {
  it('run once: again, or from three connections at once, they change nothing', async () => {
    const db = await schemas.fresh(); // migrated once already
    const connection = db.open();
    expect(await migratePostgres(connection)).toBe(POSTGRES_MIGRATIONS.length);
    const results = await Promise.all([db.open(), db.open(), db.open()].map((c) => migratePostgres(c)));
    expect(results).toEqual([1, 2, 3].map(() => POSTGRES_MIGRATIONS.length));
    const { rows } = await connection.pool.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
    const tables = await connection.pool.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [
      db.schema,
    ]);
    expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual([
      'jobs',
      'provider_calls',
      'provider_slots',
      'schema_version',
    ]);
  });

  it('refuses a database migrated by a newer Hero Desk', async () => {
    const db = await schemas.fresh();
    const connection = db.open();
    await connection.pool.query('INSERT INTO schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length + 1]);
    await expect(migratePostgres(connection)).rejects.toThrow(/newer than this Hero Desk/);
  });
});
