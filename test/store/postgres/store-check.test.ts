// `hero-desk check` on a store on PostgreSQL (app/store-check.ts): says what is missing or wrong with the
// next step, and changes nothing (the schema is neither made nor migrated by a check).
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { checkStore } from '../../../electron/core/app/store-check.ts';
import { PostgresDb } from '../../../electron/core/store/postgres/sync-db.ts';
import { describePostgres, PG_URL } from './pg-test.ts';

const schema = `hd_check_${Math.random().toString(36).slice(2, 10)}`;
const config = { store: { type: 'postgres' as const, urlSecret: 'postgresUrl', schema } };
const secrets = (url: string | undefined) => ({ get: (name: string) => (name === 'postgresUrl' ? url : undefined) });

async function schemaExists(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

afterEach(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describePostgres('hero-desk check on a PostgreSQL store', () => {
  it('names the missing secret, an unreachable server, a schema not made yet and one made, without making it', async () => {
    expect(await checkStore(config, secrets(undefined))).toMatchObject({
      ok: false,
      message: 'no URL in the secret "postgresUrl": set HERO_DESK_SECRET_POSTGRESURL=postgres://…',
    });
    const down = await checkStore(config, secrets('postgres://nobody@127.0.0.1:1/none'));
    expect(down?.ok).toBe(false);
    expect(down?.message).toMatch(/ECONNREFUSED.*: check the server, the URL and the network$/);
    expect(await checkStore(config, secrets(PG_URL))).toEqual({
      ok: true,
      label: `store PostgreSQL, schema ${schema}`,
      message: 'the server answers; the first start makes the schema',
    });
    expect(await schemaExists()).toBe(false);
    new PostgresDb({ url: PG_URL!, schema }).close();
    const made = await checkStore(config, secrets(PG_URL));
    expect(made?.ok).toBe(true);
    expect(made?.message).toMatch(/^schema version \d+$/);
  });

  it('is not asked about a SQLite store', async () => {
    expect(await checkStore({ store: { type: 'sqlite' } }, secrets(PG_URL))).toBeNull();
  });
});
