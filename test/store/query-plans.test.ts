// The hot queries stay on their indexes: a claim, the deadline scan, the outbox drain and the
// safety net read only the rows they look for, however many finished jobs and stories the file
// holds. This test fails if a change makes SQLite scan a table or sort in a temporary B-tree.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/store.ts';
import {
  CLAIM_QUEUED_SQL,
  LIVE_LEASES_SQL,
  LONGEST_EXPIRED_SQL,
  NEXT_QUEUED_SQL,
  OPEN_JOB_COUNT_SQL,
  OPEN_JOB_SQL,
  OVERDUE_SQL,
} from '../../electron/core/store/jobs.ts';
import { DUE_WRITEBACKS_SQL } from '../../electron/core/store/writebacks.ts';
import { ATTEMPTS_FOR_SQL } from '../../electron/core/store/attempts.ts';
import { PUBLISH_ORPHANS_SQL } from '../../electron/core/store/orphans.ts';
import { PENDING_PUBLICATION_SQL } from '../../electron/core/store/publications.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const HOT: { name: string; sql: string; params: (string | number)[]; index: string }[] = [
  { name: 'claim a queued job', sql: NEXT_QUEUED_SQL, params: ['regular', 1], index: 'jobs_queued' },
  { name: 'claim the free slots in one statement', sql: CLAIM_QUEUED_SQL, params: ['me', 1, 1, 'regular', 1, 8], index: 'jobs_queued' },
  { name: 'count the open jobs', sql: OPEN_JOB_COUNT_SQL, params: [], index: 'jobs_one_open' },
  { name: 'reclaim an expired lease', sql: LONGEST_EXPIRED_SQL, params: ['regular', 1], index: 'jobs_leased' },
  { name: "count a lane's live leases (every process)", sql: LIVE_LEASES_SQL, params: ['regular', 1], index: 'jobs_leased' },
  { name: 'overdue queued jobs', sql: OVERDUE_SQL, params: ['regular', 1], index: 'jobs_deadlines' },
  { name: "an article's open job", sql: OPEN_JOB_SQL, params: ['rec1', 'generate'], index: 'jobs_one_open' },
  { name: 'due write-backs', sql: DUE_WRITEBACKS_SQL, params: [1, 1, 10], index: 'writebacks_due' },
  { name: "a story's attempts", sql: ATTEMPTS_FOR_SQL, params: ['rec1'], index: 'attempts_by_article' },
  { name: 'stories in a state', sql: 'SELECT id FROM articles WHERE status = ?', params: ['publishing'], index: 'articles_by_status' },
  { name: "a story's pending publication", sql: PENDING_PUBLICATION_SQL, params: ['rec1'], index: 'publications_by_article' },
  // the safety net, every minute: through the outbox and the 'publishing' state, not every published story
  { name: 'stories a publish job could act on', sql: PUBLISH_ORPHANS_SQL, params: [], index: 'publications_pending' },
];

describe('query plans', () => {
  const store = () => new Store(join(dirs.make(), 'plans.sqlite'));
  for (const query of HOT) {
    it(`${query.name} uses ${query.index} and sorts nothing`, () => {
      const db = store();
      const plan = db.db.explain(query.sql, ...query.params).join(' | ');
      db.close();
      expect(plan).toContain(query.index);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN (jobs|articles|writebacks|attempts|publications|a|p|j)\b(?! USING)/);
    });
  }
});
