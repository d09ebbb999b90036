// The safety net: an article whose state promises work that no job will do is given a job (or an
// honest state) — so "stuck" is never a state a card can end in.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { repairOrphans } from '../../electron/core/pipeline/repair.ts';
import { getArticle, insertArticle } from '../../electron/core/store/articles.ts';
import { openJob } from '../../electron/core/store/jobs.ts';
import { insertPublication } from '../../electron/core/store/publications.ts';
import { Store } from '../../electron/core/store/store.ts';
import { lane } from '../queue/fixtures.ts';
import { tempDirs } from '../helpers/temp.ts';
import { stringContaining } from '../helpers/matchers.ts';
import { articleInput } from '../queue/fixtures.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function seed(store: Store, id: string, status: string): void {
  store.transaction(() => {
    insertArticle(store, articleInput(id));
    store.db.run('UPDATE articles SET status = ? WHERE id = ?', status, id); // as a bug or a hand edit would leave it
  });
}

describe('repairOrphans', () => {
  it('queues work for stories in a transient state with no job, and finds nothing the second time', () => {
    const store = new Store(join(dirs.make(), 'db.sqlite'));
    const lanes = new Map(['regular', 'publish'].map((name) => [name, lane(name)]));
    const deps = { store, lanes, wake: () => undefined };
    seed(store, 'generating', 'generating');
    seed(store, 'scoring', 'scoring');
    seed(store, 'pending', 'pending');
    seed(store, 'publishing', 'publishing');
    seed(store, 'approved', 'approved');
    store.transaction(() => insertPublication(store, { articleId: 'approved', imageId: null, kind: 'publish', version: 1 }));
    seed(store, 'generated', 'generated');

    expect(repairOrphans(deps, silentLogger())).toBe(5);
    for (const id of ['generating', 'scoring', 'pending']) {
      expect(getArticle(store, id)?.status).toBe('pending');
      expect(openJob(store, id, 'generate')?.lane).toBe('regular');
    }
    expect(openJob(store, 'approved', 'publish')?.publication_id).toBe(1);
    expect(getArticle(store, 'publishing')).toMatchObject({ status: 'approved', last_error: stringContaining('Retry') });
    expect(openJob(store, 'generated', 'generate')).toBeUndefined();
    expect(repairOrphans(deps, silentLogger())).toBe(0);
    store.close();
  });
});
