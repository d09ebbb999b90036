// `hero-desk check` for the store on PostgreSQL: the URL secret is there, the server answers, and the
// schema is at a version this Hero Desk knows (or not made yet: the first start makes it). Read only:
// a check changes nothing, so it neither creates the schema nor migrates it.
import type { SecretStore } from '../adapters/types.ts';
import { envName } from '../adapters/secrets.ts';
import { errorMessage } from '../base/failures.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { connectPostgres } from '../store/postgres/connection.ts';
import { POSTGRES_MIGRATIONS } from '../store/postgres/migrations.ts';

export interface StoreCheck {
  ok: boolean;
  label: string;
  message: string;
}

export async function checkStore(config: Pick<HeroDeskConfig, 'store'>, secrets: SecretStore): Promise<StoreCheck | null> {
  const spec = config.store;
  if (spec.type !== 'postgres') return null;
  const label = `store PostgreSQL, schema ${spec.schema}`;
  const url = secrets.get(spec.urlSecret);
  if (!url) return { ok: false, label, message: `no URL in the secret "${spec.urlSecret}": set ${envName(spec.urlSecret)}=postgres://…` };
  const connection = connectPostgres(url, { schema: spec.schema, max: 1 });
  try {
    const { rows } = await connection.pool.query<{ present: boolean }>(
      "SELECT to_regclass(format('%I.schema_version', $1::text)) IS NOT NULL AS present",
      [spec.schema],
    );
    if (!rows[0]?.present) return { ok: true, label, message: 'the server answers; the first start makes the schema' };
    const version = await connection.pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const current = Number(version.rows[0]?.v ?? 0);
    if (current > POSTGRES_MIGRATIONS.length)
      return {
        ok: false,
        label,
        message: `schema version ${current} is newer than this Hero Desk (${POSTGRES_MIGRATIONS.length}): upgrade it`,
      };
    return {
      ok: true,
      label,
      message: `schema version ${current}${current < POSTGRES_MIGRATIONS.length ? ' (the next start migrates it)' : ''}`,
    };
  } catch (error) {
    // pg's messages name the host and port, never the password
    return { ok: false, label, message: `${errorMessage(error)}: check the server, the URL and the network` };
  } finally {
    await connection.close();
  }
}
