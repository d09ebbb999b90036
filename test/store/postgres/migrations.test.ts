// PostgreSQL migrations: versioned in schema_version, idempotent, safe when several workers start at once.
import { expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../electron/core/store/postgres/migrations.ts';
import { Db } from '../../../electron/core/store/database.ts';
import { describePostgres, postgresSchemas } from './pg-test.ts';

function columnsByTable(pairs: string[][]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const [table, column] of pairs) tables.set(table!, [...(tables.get(table!) ?? []), column!].sort());
  return new Map([...tables].sort(([a], [b]) => a.localeCompare(b)));
}

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
  });

  it("end with the SQLite store's tables and columns (a change to one needs a migration in both)", async () => {
    const db = await schemas.fresh();
    const { rows } = await db
      .open()
      .pool.query<{ table_name: string; column_name: string }>(
        'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
        [db.schema],
      );
    const postgres = columnsByTable(rows.map((row) => [row.table_name, row.column_name]));
    const sqlite = new Db(':memory:');
    const tables = sqlite.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'");
    const expected = columnsByTable(
      tables.flatMap(({ name }) => sqlite.all<{ name: string }>(`PRAGMA table_info(${name})`).map((column) => [name, column.name])),
    );
    sqlite.close();
    // PostgreSQL's own bookkeeping, and the rate window's row key (SQLite's rowid)
    expected.set('schema_version', ['applied_at', 'version']);
    expected.get('provider_calls')!.push('id');
    expected.get('provider_calls')!.sort();
    expect(Object.fromEntries(postgres)).toEqual(Object.fromEntries(expected));
  });

  it('refuses a database migrated by a newer Hero Desk', async () => {
    const db = await schemas.fresh();
    const connection = db.open();
    await connection.pool.query('INSERT INTO schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length + 1]);
    await expect(migratePostgres(connection)).rejects.toThrow(/newer than this Hero Desk/);
  });
});
