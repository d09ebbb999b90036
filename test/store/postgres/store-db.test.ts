// The whole store on a real PostgreSQL (store: { type: "postgres" }): its schema and migrations, writers
// on several processes taking turns as on SQLite, and the built desktop bundle's store thread. The store,
// queue and write-back suites run on it as well (HERO_DESK_TEST_STORE=postgres, in npm test).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createSyncFn } from 'synckit';
import { afterEach, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../../electron/core/store/postgres/migrations.ts';
import { PostgresDb } from '../../../electron/core/store/postgres/sync-db.ts';
import type { SyncRequest, SyncResponse } from '../../../electron/core/store/postgres/sync-worker.ts';
import { Store, type ChangeSet } from '../../../electron/core/store/store.ts';
import { waitFor } from '../../helpers/temp.ts';
import { articleInput } from '../../queue/fixtures.ts';
import { insertArticle, getArticle } from '../../../electron/core/store/articles.ts';
import { ensureBuilt, root } from '../../helpers/build.ts';
import { describePostgres, PG_URL } from './pg-test.ts';

const schemas: string[] = [];

/** A separate process (this one waits synchronously on the store) that drops every store connection. */
const dropScript = (url: string) =>
  `const pg = require('pg'); const c = new pg.Client(${JSON.stringify(url)}); c.connect().then(() => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hero-desk'")).then(() => c.end());`;
const opened: Store[] = [];

function freshStore(schema = `hd_store_${Math.random().toString(36).slice(2, 10)}`): Store {
  if (!schemas.includes(schema)) schemas.push(schema);
  const store = new Store(new PostgresDb({ url: PG_URL!, schema }));
  opened.push(store);
  return store;
}

afterEach(async () => {
  for (const store of opened.splice(0)) store.close();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${admin.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

const article = articleInput;

function runChild(schema: string, rounds: number): Promise<number | null> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'counter-child.ts'), PG_URL!, schema, String(rounds)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', resolve));
}

describePostgres('the store on PostgreSQL', () => {
  it('creates every table in its own schema at the newest version, and keeps data across a reopen', () => {
    const first = freshStore();
    expect(first.db.schemaVersion).toBe(POSTGRES_MIGRATIONS.length);
    first.transaction(() => insertArticle(first, article('a1')));
    const schema = first.db.path.replace('postgres:', '');
    first.close();
    const again = freshStore(schema);
    expect(again.db.schemaVersion).toBe(POSTGRES_MIGRATIONS.length);
    expect(getArticle(again, 'a1')?.headline).toBe('a1');
    const tables = again.db
      .all<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', schema)
      .map((row) => row.table_name);
    expect(tables).toEqual(expect.arrayContaining(['articles', 'jobs', 'attempts', 'images', 'publications', 'events', 'writebacks']));
  });

  it('lets one writer in at a time across processes: three counting at once lose no increment, and seqs follow commit order', async () => {
    const store = freshStore();
    const schema = store.db.path.replace('postgres:', '');
    const exits = await Promise.all([runChild(schema, 60), runChild(schema, 60), runChild(schema, 60)]);
    expect(exits).toEqual([0, 0, 0]);
    expect(store.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'counter'")?.value).toBe('180');
    // each event carries the count its transaction wrote: in seq order they count 1, 2, 3, … with no gap
    const counts = store.db.all<{ detail: string }>("SELECT detail FROM events WHERE type = 'counted' ORDER BY seq");
    expect(counts.map((row) => (JSON.parse(row.detail) as { n: number }).n)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
  }, 60_000);

  it('rolls a failed transaction back whole, and a savepoint undoes only its part', () => {
    const store = freshStore();
    expect(() =>
      store.transaction(() => {
        insertArticle(store, article('gone'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(getArticle(store, 'gone')).toBeUndefined();
    store.transaction(() => {
      insertArticle(store, article('kept'));
      expect(() =>
        store.savepoint(() => {
          insertArticle(store, article('undone'));
          insertArticle(store, article('kept')); // a duplicate key: this part fails
        }),
      ).toThrow(/duplicate key/);
    });
    expect(getArticle(store, 'kept')).toBeDefined();
    expect(getArticle(store, 'undone')).toBeUndefined();
  });

  it("says what PostgreSQL said, with the store's name and never the URL's password", () => {
    const store = freshStore();
    let error: unknown;
    try {
      store.db.get('SELECT no_such_column FROM articles');
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).toMatch(/PostgreSQL \(postgres:hd_store_\w+\): column "no_such_column" does not exist/);
    expect((error as { code?: string }).code).toBe('42703');
  });

  it('makes a dropped connection again (a server restart): the transaction cut off commits nothing, the next one works, and commits elsewhere are heard again', async () => {
    const store = freshStore();
    const schema = store.db.path.replace('postgres:', '');
    const other = freshStore(schema);
    const heard: ChangeSet[] = [];
    store.onChange((changes) => heard.push(changes));
    store.followOtherProcesses(10);
    expect(() =>
      store.transaction(() => {
        insertArticle(store, article('cut'));
        // the server drops every store connection between two statements of this transaction
        execFileSync(process.execPath, ['-e', dropScript(PG_URL!)]);
        insertArticle(store, article('cut-2'));
      }),
    ).toThrow(/lost during this transaction|terminat/);
    store.transaction(() => insertArticle(store, article('after')));
    expect(getArticle(store, 'cut')).toBeUndefined();
    expect(getArticle(store, 'after')?.headline).toBe('after');
    // the other store makes its connection again on its next statement; this one's LISTEN is back within 2 s
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    other.transaction(() => insertArticle(other, article('from-elsewhere')));
    await waitFor(
      () => heard.some((changes) => changes.elsewhere && changes.articleIds.includes('from-elsewhere')),
      5_000,
      'the commit heard',
    );
  }, 30_000);

  it('runs from the desktop bundle: out/main/sync-worker.js answers as the source does', () => {
    ensureBuilt();
    const worker = join(root, 'out/main/sync-worker.js');
    expect(existsSync(worker)).toBe(true);
    const call = createSyncFn(worker) as (request: SyncRequest) => SyncResponse;
    const schema = `hd_bundle_${Math.random().toString(36).slice(2, 10)}`;
    schemas.push(schema);
    const changes = new SharedArrayBuffer(4);
    expect(call({ handle: 1, op: 'open', url: PG_URL!, schema, channel: `${schema}_changes`, changes })).toMatchObject({
      ok: true,
      schemaVersion: POSTGRES_MIGRATIONS.length,
    });
    expect(call({ handle: 1, op: 'query', text: 'SELECT COUNT(*) AS n FROM articles', params: [], fresh: true })).toMatchObject({
      ok: true,
      rows: [{ n: 0 }],
    });
    call({ handle: 1, op: 'close' });
  });
});
