// The whole core on a real, tiny disk (a tmpfs; needs root to mount) that fills up while a story
// is on its way: the board shows problem "disk" naming the folder, an editor's action fails with
// "disk full" instead of an SQLite message, no job fails for good, and once space is freed the
// problem closes by itself and the story reaches review.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card, Problem } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { isRoot, tinyDisk } from '../helpers/full-disk.ts';
import { waitFor } from '../helpers/temp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  // each runs even if one before it failed: a tmpfs must never stay mounted
  for (const cleanup of cleanups.splice(0).reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch(() => undefined);
});

async function snapshot(core: RunningCore): Promise<{ cards: Card[]; problems: Problem[] }> {
  const result = await core.dispatch('snapshot', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { cards: Card[]; problems: Problem[] };
}

describe.skipIf(!isRoot)('the core on a disk that fills up', () => {
  it('shows "disk full", fails nothing for good, and carries on once space is freed', async (context) => {
    const disk = tinyDisk('48m');
    if (!disk) return context.skip('cannot mount a tmpfs here');
    cleanups.push(() => disk.unmount());
    const dataDir = join(disk.dir, '.hero-desk');
    let stopped = false;
    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: () => undefined },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
      diskWatch: { settleMs: 300, probeMs: 50 },
    });
    cleanups.push(async () => {
      if (!stopped) await core.stop();
    });
    const events: HeroEvent[] = [];
    core.onEvent((event) => events.push(event));
    await waitFor(
      async () => (await snapshot(core)).cards.filter((c) => c.status === 'generated').length === 12,
      30_000,
      '12 generated cards',
    );

    const added = await core.dispatch('addDemoArticle', { headline: 'Reservoir levels fall to a record low', summary: 'Dry summer.' });
    expect(added.ok).toBe(true);
    const recordId = added.ok ? (added.value as { recordId: string }).recordId : '';
    disk.fill();

    const problem = await waitFor(async () => (await snapshot(core)).problems.find((p) => p.id === 'disk'), 15_000, 'problem "disk"');
    expect(problem).toMatchObject({ area: 'disk', level: 'error' });
    expect(problem.message).toContain(dataDir);
    expect(events.some((e) => e.type === 'problems' && e.problems.some((p) => p.id === 'disk'))).toBe(true);
    // an editor's decision cannot be saved: the answer says why, in words (SQLite may still fit
    // it into WAL space it already holds; then it simply succeeds)
    const [first] = (await snapshot(core)).cards.filter((c) => c.status === 'generated');
    const approve = await core.dispatch('approve', { articleId: first!.articleId });
    if (!approve.ok) expect(approve.error.message).toBe(`the disk holding ${dataDir} is full: free some space; Hero Desk retries`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await snapshot(core)).cards.filter((c) => c.status === 'failed')).toEqual([]);

    disk.free();
    await waitFor(async () => !(await snapshot(core)).problems.some((p) => p.id === 'disk'), 15_000, 'problem "disk" to close');
    const story = await waitFor(
      async () => (await snapshot(core)).cards.find((c) => c.articleId === recordId && c.status === 'generated'),
      30_000,
      'the new story in review',
    );
    expect(story.image?.provider).toBe('title-card');
    expect((await snapshot(core)).cards.filter((c) => c.status === 'failed')).toEqual([]);

    await core.stop();
    stopped = true;
    const db = new DatabaseSync(join(dataDir, 'hero-desk.db'));
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status = 'failed'").get()).toEqual({ n: 0 });
      expect(
        db
          .prepare("SELECT type FROM events WHERE type LIKE 'problem_%' ORDER BY seq")
          .all()
          .map((row) => row['type']),
      ).toEqual(['problem_opened', 'problem_resolved']);
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    } finally {
      db.close();
    }
  }, 90_000);
});
