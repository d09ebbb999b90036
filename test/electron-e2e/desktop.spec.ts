// The unpackaged desktop app in real Electron: it starts on the embedded demo, serves the board from
// app://board/ with the preload's bridge, an editor approves a story ready for review and it is
// published, and quitting leaves no job claimed in the queue. Runs with `npm run test:electron`
// (after `npm run build`), on the release workflow's macOS and Windows runners.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { _electron as electron, expect, test } from '@playwright/test';

const root = join(import.meta.dirname, '../..');

test('start, demo loop, approve, quit returns jobs to the queue', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'hero-desk-electron-e2e-'));
  try {
    const app = await electron.launch({
      args: [root],
      cwd: root,
      // a profile of its own: never the editor's real data folder
      env: { ...process.env, HERO_DESK_USER_DATA: userData, HERO_DESK_LOG_LEVEL: 'info' },
    });
    const page = await app.firstWindow();
    await expect(page).toHaveURL('app://board/index.html');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getName())).toBe('Hero Desk');
    // the page has the bridge and no Node (globalThis is the page's window there)
    expect(await page.evaluate(() => typeof (globalThis as { heroDesk?: unknown }).heroDesk)).toBe('object');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    // main sends native notifications here; the board's browser-notification bell stays out
    await expect(page.getByRole('button', { name: /^Notif/ })).toHaveCount(0);

    // the embedded demo's stories are generated; approve the first one ready for review
    const ready = page.locator('[data-testid^="card-"][data-status="generated"]').first();
    await expect(ready).toBeVisible({ timeout: 180_000 });
    const articleId = (await ready.getAttribute('data-testid'))!.slice('card-'.length);
    const card = page.getByTestId(`card-${articleId}`);
    await card.click();
    await page.getByTestId('approve').click();
    await expect(card).toHaveAttribute('data-status', 'published', { timeout: 120_000 });

    // quitting goes through the clean stop: jobs still queued or running are left unclaimed
    await app.close();
    const db = new DatabaseSync(join(userData, 'hero-desk.db'), { readOnly: true });
    try {
      const claimed = db.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'running' OR lease_owner IS NOT NULL").get() as { n: number };
      expect(claimed.n).toBe(0);
      const published = db.prepare('SELECT status FROM articles WHERE id = ?').get(articleId) as { status: string } | undefined;
      expect(published?.status).toBe('published');
    } finally {
      db.close();
    }
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
});
