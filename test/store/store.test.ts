import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/store/migrations.ts';
import type { ChangeSet } from '../../electron/core/store/store.ts';
import { getArticle, insertArticle, listBoardArticles, transition } from '../../electron/core/store/articles.ts';
import { IllegalTransitionError } from '../../shared/state-machine.ts';
import { tempDirs } from '../helpers/temp.ts';
import { TEST_STORE, testStore } from '../helpers/test-store.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function article(id: string) {
  return {
    id,
    source: 'test',
    headline: `Headline ${id}`,
    summary: 'Summary',
    section: 'Local',
    storyType: null,
    breaking: false,
    contentHash: 'h',
    tier: 'regular' as const,
    prompt: 'a prompt',
    promptOverride: null,
    policy: null,
  };
}

describe('Store', () => {
  // on PostgreSQL: test/store/postgres/store-db.test.ts and migrations.test.ts
  it.skipIf(TEST_STORE === 'postgres')('creates one SQLite file in WAL mode with every migration applied', () => {
    const path = join(dirs.make(), 'db.sqlite');
    const store = testStore(path);
    expect(store.db.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode).toBe('wal');
    expect(store.db.get<{ user_version: number }>('PRAGMA user_version')?.user_version).toBe(MIGRATIONS.length);
    const tables = store.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(['articles', 'jobs', 'attempts', 'images', 'publications', 'events', 'source_cursors']));
    store.close();
  });

  it('keeps data across reopen and does not re-run migrations', () => {
    const path = join(dirs.make(), 'db.sqlite');
    const first = testStore(path);
    first.transaction(() => insertArticle(first, article('rec1')));
    first.close();
    const second = testStore(path);
    expect(getArticle(second, 'rec1')?.headline).toBe('Headline rec1');
    expect(second.db.integrityCheck()).toBe('ok');
    second.close();
  });

  it('rolls back a failed transaction entirely and emits no change', () => {
    const store = testStore(join(dirs.make(), 'db.sqlite'));
    const changes: ChangeSet[] = [];
    store.onChange((change) => changes.push(change));
    expect(() =>
      store.transaction(() => {
        insertArticle(store, article('rec1'));
        transition(store, 'rec1', 'published'); // illegal from pending
      }),
    ).toThrow(IllegalTransitionError);
    expect(getArticle(store, 'rec1')).toBeUndefined();
    expect(changes).toHaveLength(0);
    store.close();
  });

  it('tells listeners which articles changed, after commit, with the event seq', () => {
    const store = testStore(join(dirs.make(), 'db.sqlite'));
    const changes: ChangeSet[] = [];
    store.onChange((change) => changes.push(change));
    store.transaction(() => {
      insertArticle(store, article('rec1'));
      insertArticle(store, article('rec2'));
      transition(store, 'rec1', 'generating');
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.articleIds.sort()).toEqual(['rec1', 'rec2']);
    expect(changes[0]?.seq).toBe(store.lastSeq());
    store.notice('warn', 'hello', 'rec2');
    expect(changes[1]?.notices).toEqual([expect.objectContaining({ level: 'warn', message: 'hello', articleId: 'rec2' })]);
    store.close();
  });

  it('keeps settled cards on the board for a while, and work in progress always', () => {
    const store = testStore(join(dirs.make(), 'db.sqlite'));
    store.transaction(() => {
      for (const id of ['old-published', 'old-pending', 'new-published']) insertArticle(store, article(id));
      for (const id of ['old-published', 'new-published']) {
        for (const to of ['generating', 'scoring', 'generated', 'approved', 'publishing', 'published'] as const) transition(store, id, to);
      }
    });
    const long = Date.now() - 10 * 86_400_000;
    store.db.run("UPDATE articles SET updated_at = ? WHERE id IN ('old-published', 'old-pending')", long);
    const shown = listBoardArticles(store, Date.now() - 3 * 86_400_000)
      .map((row) => row.id)
      .sort();
    expect(shown).toEqual(['new-published', 'old-pending']);
    store.close();
  });
});
