// Two editors on one desk (issue 13), each in their own browser context with their own account:
// live updates between boards, presence and the prompt's soft lock, a conflict when one decides on a
// story the other changed meanwhile (the second board's events held back, as in a real race), and
// attribution on the card and in the audit. A real board core (SQLite), the real bridge, Chromium.
// Needs the built renderer (npm run build → out/renderer; HERO_DESK_RENDERER_DIR picks another build).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { addAccount } from '../../electron/core/accounts/accounts.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';

const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? resolve(import.meta.dirname, '../../out/renderer');
let dir: string;
let board: BoardCore;
let bridge: HttpBridge;

test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hd-newsroom-'));
  board = createBoardCore(dir);
  board.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
  board.addStory({ id: 'rec-2', status: 'generated', headline: 'Council votes on bike lanes' });
  bridge = await startHttpBridge({ core: board.core, rendererDir, logger: pino({ level: 'silent' }) });
});

test.afterEach(async () => {
  await bridge.stop();
  board.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A board in its own browser context; `hold()` keeps the desk's events from it until `release()`. */
async function openBoard(browser: Browser, name: string, role: 'viewer' | 'editor' = 'editor') {
  const { token } = await addAccount(board.store, name, role);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  let holding = false;
  const held: (string | Buffer)[] = [];
  let deliver: ((message: string | Buffer) => void) | null = null;
  await page.routeWebSocket(/\/api\/events/, (ws) => {
    const server = ws.connectToServer();
    deliver = (message) => ws.send(message);
    server.onMessage((message) => (holding ? held.push(message) : ws.send(message)));
    ws.onMessage((message) => server.send(message));
  });
  await page.goto(`${bridge.origin}/#token=${encodeURIComponent(token)}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  return {
    page,
    close: () => context.close(),
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const message of held.splice(0)) deliver?.(message);
    },
  };
}

const tile = (page: Page, id: string) => page.getByTestId(`card-${id}`);

test('two editors on one desk: presence, soft lock, live updates, a conflict, and who did what', async ({ browser }) => {
  const maria = await openBoard(browser, 'Maria');
  const kim = await openBoard(browser, 'Kim');

  // who is online, on both boards
  await expect(maria.page.getByTestId('online-name')).toHaveText(['Maria (you)', 'Kim']);
  await expect(kim.page.getByTestId('online-name')).toHaveText(['Maria', 'Kim (you)']);

  // Maria opens a story and starts editing its prompt: Kim sees it on the tile, then in the drawer
  await tile(maria.page, 'rec-1').click();
  await expect(tile(kim.page, 'rec-1').getByTestId('card-presence')).toHaveText('Maria looking');
  await maria.page.getByTestId('prompt-input').fill('The harbour bridge at dawn, cars crossing again');
  await expect(tile(kim.page, 'rec-1').getByTestId('card-presence')).toHaveText('Maria editing');
  await tile(kim.page, 'rec-1').click();
  await expect(kim.page.getByTestId('soft-lock')).toContainText('Maria is editing the prompt');

  // a race: Kim's board has not heard of Maria's save yet when Kim approves
  kim.hold();
  await maria.page.getByTestId('save-prompt').click();
  await expect
    .poll(() => board.store.db.get<{ p: string | null }>("SELECT prompt_override AS p FROM articles WHERE id = 'rec-1'")?.p)
    .toBe('The harbour bridge at dawn, cars crossing again');
  await kim.page.getByTestId('approve').click();
  await expect(kim.page.locator('.toast-error')).toContainText(
    '“Harbour bridge reopens” changed since your board showed it (Maria edited the prompt',
  );
  expect(board.store.db.get<{ status: string }>("SELECT status FROM articles WHERE id = 'rec-1'")?.status).toBe('generated');

  // once Kim's board catches up it shows Maria's edit, and Kim's approval goes through
  kim.release();
  await expect(kim.page.getByTestId('decided-promptEdited')).toContainText('by Maria');
  await expect(kim.page.getByTestId('prompt-input')).toHaveValue('The harbour bridge at dawn, cars crossing again');
  await kim.page.getByTestId('approve').click();
  // live on Maria's board: the card moves and names Kim
  await expect(tile(maria.page, 'rec-1')).toHaveAttribute('data-status', 'approved');
  await expect(maria.page.getByTestId('decided-approved')).toContainText('by Kim');

  // the audit lists both, newest first
  await maria.page.getByTestId('audit').click();
  const entries = maria.page.getByTestId('audit-entry');
  await expect(entries.first()).toContainText('Kim approved · Harbour bridge reopens');
  await expect(entries.nth(1)).toContainText('Maria edited the prompt · Harbour bridge reopens');
  await maria.page.keyboard.press('Escape');

  // Kim leaves: Maria's board shows only Maria
  await kim.close();
  await expect(maria.page.getByTestId('online-name')).toHaveText(['Maria (you)']);
  await maria.close();
});

test('a viewer reads the board, is told what the account cannot do, and the desk refuses their approval', async ({ browser }) => {
  const ola = await openBoard(browser, 'Ola', 'viewer');
  await expect(ola.page.getByTestId('viewer-banner')).toContainText('Signed in as Ola with a viewer account');
  await tile(ola.page, 'rec-1').click();
  await ola.page.getByTestId('approve').click();
  await expect(ola.page.locator('.toast-error')).toContainText('Ola (viewer) may not approve: it needs the editor role');
  expect(board.store.db.get<{ status: string }>("SELECT status FROM articles WHERE id = 'rec-1'")?.status).toBe('generated');
  await ola.close();
});
