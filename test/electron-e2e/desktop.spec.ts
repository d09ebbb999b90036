// The unpackaged desktop app in real Electron: a fresh profile opens the first-run screen, "Try the
// demo first" starts the board on the embedded demo, served from app://board/ with the preload's
// bridge, an editor approves a story ready for review and it is published, and quitting leaves no
// job claimed in the queue. Then connect mode against a real TLS desk (certificate made here): an
// untrusted certificate and a wrong token are refused with their message, a personal token connects
// and, after a restart, the board is the desk's and no local core runs. Runs with `npm run test:electron`
// (after `npm run build`), on the release workflow's macOS and Windows runners.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { _electron as electron, expect, test } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge } from '../../electron/bridge/http-bridge.ts';
import { resolveListenConfig } from '../../electron/bridge/listen-config.ts';
import { addAccount } from '../../electron/core/accounts/accounts.ts';
import { createBoardCore } from '../helpers/board-core.ts';
import { makeSelfSigned } from '../helpers/self-signed.ts';

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
    // first run: no config, no choice yet — the three choices; the demo is one click
    await expect(page.getByTestId('first-run')).toBeVisible();
    await page.screenshot({ path: join(root, 'test-results/screenshots/electron-first-run.png') });
    await page.getByTestId('choose-demo').click();
    expect(JSON.parse(readFileSync(join(userData, 'desktop-mode.json'), 'utf8'))).toEqual({ mode: 'solo' });
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
      const claimed = db.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'running' OR lease_owner IS NOT NULL").get() as {
        n: number;
      };
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

test("connect to a newsroom desk over HTTPS/WSS: refusals with their message, then the desk's board after a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-electron-desk-'));
  const userData = join(dir, 'user-data');
  const { certPath, keyPath } = makeSelfSigned(dir);
  const desk = createBoardCore(join(dir, 'desk'));
  desk.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
  const bridge = await startHttpBridge({
    core: desk.core,
    rendererDir: join(root, 'out/renderer'),
    logger: pino({ level: 'silent' }),
    listen: resolveListenConfig({ listen: '127.0.0.1:0', tlsCert: certPath, tlsKey: keyPath }),
  });
  const { token } = await addAccount(desk.store, 'Maria', 'editor');
  const deskUrl = `https://localhost:${bridge.port}`;
  const env = { ...process.env, HERO_DESK_USER_DATA: userData, HERO_DESK_LOG_LEVEL: 'info', HERO_DESK_NO_RELAUNCH: '1' };
  const launch = (args: string[] = []) => electron.launch({ args: [...args, root], cwd: root, env });
  try {
    // this computer does not trust the self-signed certificate: said so, nothing stored
    let app = await launch();
    let page = await app.firstWindow();
    await page.getByTestId('choose-desk').click();
    await page.getByTestId('desk-url').fill(deskUrl);
    await page.getByTestId('desk-token').fill(token);
    await page.getByTestId('desk-connect').click();
    await expect(page.getByTestId('desk-error')).toHaveAttribute('data-reason', 'tls');
    await app.close();
    expect(existsSync(join(userData, 'desktop-mode.json'))).toBe(false);

    // trusted (as if installed in the system store): a wrong token, then the personal token
    app = await launch(['--ignore-certificate-errors']);
    page = await app.firstWindow();
    await page.getByTestId('choose-desk').click();
    await page.getByTestId('desk-url').fill(deskUrl);
    await page.getByTestId('desk-token').fill(`${token.slice(0, -4)}AAAA`);
    await page.getByTestId('desk-connect').click();
    await expect(page.getByTestId('desk-error')).toHaveAttribute('data-reason', 'token');
    await page.getByTestId('desk-token').fill(token);
    // connecting quits (HERO_DESK_NO_RELAUNCH: the test starts the next run itself)
    const closed = app.waitForEvent('close');
    await page.getByTestId('desk-connect').click();
    await closed;
    expect(JSON.parse(readFileSync(join(userData, 'desktop-mode.json'), 'utf8'))).toEqual({ mode: 'desk', deskUrl });
    expect(readFileSync(join(userData, 'desk.enc.json'), 'utf8')).not.toContain(token);

    // after the restart: the desk's board, live, and no local database was made by a core
    app = await launch(['--ignore-certificate-errors']);
    page = await app.firstWindow();
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('card-rec-1')).toBeVisible();
    await expect(page.getByTestId('online-name')).toHaveText(['Maria (you)']);
    await app.close();
    // connect mode started no core: the log says so and names no token
    const log = readFileSync(join(userData, 'logs/hero-desk.log'), 'utf8');
    expect(log).toContain('"mode":"desk"');
    expect(log).not.toContain(token.split('.')[2]);
  } finally {
    await bridge.stop();
    desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
