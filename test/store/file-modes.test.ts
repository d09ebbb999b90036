// The database and its -wal/-shm hold every prompt and provider answer: this user only, for a
// new data folder and for one an older version left readable by others.
import { chmodSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/store.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe.skipIf(process.platform === 'win32')('database file modes', () => {
  it('creates hero-desk.db, -wal and -shm readable by this user only', () => {
    const path = join(dirs.make(), 'hero-desk.db');
    const store = new Store(path);
    store.transaction(() => store.logEvent('x', null));
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    store.close();
  });

  it('tightens files an older version left 0644', () => {
    const path = join(dirs.make(), 'hero-desk.db');
    const old = new DatabaseSync(path);
    old.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) chmodSync(file, 0o644);
    const store = new Store(path); // opened while the old connection still holds -wal/-shm
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    store.close();
    old.close();
  });
});
