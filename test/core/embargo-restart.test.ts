// An embargo is durable: a core killed (SIGKILL) with an approved, embargoed story is reopened on the
// same data dir, and the story reaches readers at its time — not before, not lost, not twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { articleFrames, cardOf, coreHarness, waitForStatus } from '../drawer/harness.ts';
import { startCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';

const CHILD = fileURLToPath(new URL('./embargo-child.ts', import.meta.url));
const dirs = tempDirs();
const harness = coreHarness();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await harness.cleanup();
  dirs.cleanup();
});

/** Starts the child and resolves with the embargo time it printed once the story is approved. */
function approveInChild(
  dataDir: string,
  articleId: string,
  delayMs: number,
): Promise<{ child: ChildProcess; publishAt: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [CHILD, dataDir, articleId, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, publishAt: (JSON.parse(line) as { publishAt: number }).publishAt, exited });
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before approving`)));
  });
}

describe('embargo across a crash', () => {
  it('SIGKILL with an embargoed approved story: after reopening it is published at its time, once', async () => {
    const dataDir = dirs.make();
    const { child, publishAt, exited } = await approveInChild(dataDir, 'recDemo003', 6_000);
    child.kill('SIGKILL');
    await exited;

    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: () => undefined },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
    });
    const frames = await harness.reader(core);
    const reopened = (await cardOf(core, 'recDemo003'))!;
    expect(Date.now()).toBeLessThan(publishAt); // reopened inside the embargo: the test is meaningful
    expect(reopened).toMatchObject({ status: 'approved', embargoUntil: publishAt });

    try {
      await waitFor(() => articleFrames(frames, 'recDemo003').length > 0, publishAt - Date.now() + 15_000, 'the story reaches readers');
      expect(Date.now()).toBeGreaterThanOrEqual(publishAt);
      await waitForStatus(core, 'recDemo003', 'published', 5_000);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(articleFrames(frames, 'recDemo003')).toHaveLength(1);
    } finally {
      await core.stop();
    }
    const store = new Store(join(dataDir, 'hero-desk.db'));
    const rows = store.db.all<{ status: string; published_at: number }>(
      "SELECT status, published_at FROM publications WHERE article_id = 'recDemo003'",
    );
    store.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('published');
    expect(rows[0]!.published_at).toBeGreaterThanOrEqual(publishAt);
  }, 120_000);
});
