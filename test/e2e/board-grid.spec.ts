// The board grid at work: virtualised columns with "show older", one card's event touching one
// card, deadlines, find and filter with saved views in the URL, bulk decisions, the keyboard (map,
// remapping, J/K focus and announcements, no empty tab stops), browser notifications and the title.
// Needs the built renderer (npm run build → out/renderer).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore, type DemoCoreOptions } from './support/demo-core.ts';

const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? resolve(import.meta.dirname, '../../out/renderer');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

async function start(options: DemoCoreOptions = {}) {
  core = await createDemoCore(options);
  bridge = await startHttpBridge({ core, rendererDir, logger });
}

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

const card = (page: Page, id: string) => page.getByTestId(`card-${id}`);
const callsOf = (name: string) => core.calls.filter((c) => c.name === name).map((c) => c.input);
const shownIds = async (page: Page, column: string) =>
  await page
    .getByTestId(`column-${column}`)
    .locator('[data-status]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-testid')!.slice(5)));

async function openBoard(page: Page, url = bridge.url) {
  await page.goto(url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

test('columns render only the cards in sight and page older settled stories in', async ({ page }, testInfo) => {
  await start({ settledExtra: 600, settledWindow: 100 });
  await openBoard(page);
  // 200 published held (2 seeds + 198 archive, trimmed to 100), the rest counted
  const published = page.getByTestId('column-published');
  await expect(published.getByTestId('count-published')).toHaveText('202');
  const rendered = await published.locator('[data-status]').count();
  expect(rendered).toBeGreaterThan(2);
  expect(rendered).toBeLessThan(20); // virtualised: 100 held, a screenful drawn
  await expect(published.getByTestId('show-older-published')).toHaveText('Show older (102)');
  await published.getByTestId('show-older-published').click();
  await expect(published.getByTestId('show-older-published')).toHaveText('Show older (2)');
  await published.getByTestId('show-older-published').click();
  await expect(published.getByTestId('show-older-published')).toHaveCount(0);
  const pages = callsOf('olderCards') as { column: string; before: { articleId: string } }[];
  expect(pages).toHaveLength(2);
  expect(pages[0]!.column).toBe('published');
  // scrolling to the end reaches the oldest story, still with few elements drawn
  const list = published.getByTestId('list-published');
  await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(published.locator('[data-status]', { hasText: 'Archive story 598 (published)' })).toBeVisible();
  expect(await published.locator('[data-status]').count()).toBeLessThan(20);
  await page.screenshot({ path: testInfo.outputPath('board-older.png') });
});

test("one card's event touches only that card", async ({ page }) => {
  await start();
  await openBoard(page);
  // (browser code as a string: this file is type-checked without the DOM library)
  await page.evaluate(`
    window.touched = [];
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        if (!target || target.closest('.due, .late-count, [data-testid="stat-late"]')) continue; // the clock ticks there
        window.touched.push(target.closest('[data-testid^="card-"]')?.getAttribute('data-testid') ?? target.className ?? target.tagName);
      }
    }).observe(document.querySelector('[data-testid="board"]'), { subtree: true, childList: true, attributes: true, characterData: true });
  `);
  core.update('rec007', { costUsd: 0.123 }); // a progress event: same place, same size
  await expect(card(page, 'rec007')).toContainText('$0.123');
  await page.waitForTimeout(300);
  const touched = await page.evaluate<string[]>('window.touched');
  expect(touched.length).toBeGreaterThan(0);
  expect([...new Set(touched)]).toEqual(['card-rec007']);
});

test('each card counts down to its deadline, says how late it is, and the header counts the late ones', async ({ page }) => {
  await start();
  // a breaking story 5 minutes in (due after 3): late; a regular one just in: due in ~15 min
  core.update('rec006', { createdAt: Date.now() - 300_000, dueAt: Date.now() - 120_000 }, true);
  core.update('rec004', { dueAt: Date.now() + 14 * 60_000 + 30_000 }, true);
  await openBoard(page);
  await expect(card(page, 'rec006').getByTestId('due')).toHaveAttribute('data-due', 'late');
  await expect(card(page, 'rec006').getByTestId('due')).toContainText(/^2:0\d late$/);
  await expect(card(page, 'rec004').getByTestId('due')).toContainText(/^due in 14:[23]\d$/);
  const first = await card(page, 'rec004').getByTestId('due').innerText();
  await expect.poll(() => card(page, 'rec004').getByTestId('due').innerText(), { timeout: 5000 }).not.toBe(first); // it ticks
  await expect(card(page, 'rec006')).toHaveClass(/breaking/);
  await expect(page.getByTestId('late-generating')).toHaveText('1 late');
  const late = Number(await page.getByTestId('stat-late').innerText());
  expect(late).toBeGreaterThanOrEqual(1);
  await page.getByTestId('filter-pastDeadline').click();
  await expect(page.getByTestId('stat-late')).toHaveText(String(late));
  await expect(page.locator('[data-status]')).toHaveCount(late);
});

test('search and filters narrow the board, counts follow, and the URL keeps the view without the token', async ({ page }) => {
  await start();
  await openBoard(page);
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type('bridge');
  await expect(page.locator('[data-status]')).toHaveCount(1);
  await expect(card(page, 'rec003')).toBeVisible();
  await expect(page.getByTestId('filter-count')).toHaveText('1 of 13 stories');
  await expect(page.getByTestId('count-generated')).toHaveText('1/4');
  await expect(page.getByTestId('stat-review')).toHaveText('1');
  // the prompt is searched too
  await page.getByTestId('search').fill('muted colours transit');
  await expect(page.locator('[data-status]')).toHaveCount(1);
  await expect(card(page, 'rec010')).toBeVisible();

  await page.getByTestId('search').fill('');
  await page.getByTestId('filter-lowScore').click();
  expect(await shownIds(page, 'generated')).toEqual(['rec002']);
  await page.getByTestId('filter-lowScore').click();
  await page.getByTestId('filter-section').selectOption('Transport');
  await expect(page.locator('[data-status]')).toHaveCount(3);
  await page.getByTestId('filter-tier').selectOption('regular');
  await page.getByTestId('filter-status').selectOption('published');
  await expect(page.locator('[data-status]')).toHaveCount(1);
  const url = new URL(page.url());
  expect(url.hash).toBe('');
  expect(Object.fromEntries(url.searchParams)).toEqual({ section: 'Transport', tier: 'regular', status: 'published' });

  await page.reload();
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(page.getByTestId('filter-section')).toHaveValue('Transport');
  await expect(page.locator('[data-status]')).toHaveCount(1);
  await expect(card(page, 'rec010')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');

  await page.getByTestId('filter-clear').click();
  await expect(page.locator('[data-status]')).toHaveCount(13);
  expect(new URL(page.url()).search).toBe('');
});

test('saved views are kept in this browser and bring their filters back', async ({ page }) => {
  await start();
  await openBoard(page);
  await page.getByTestId('search').fill('school');
  await page.getByTestId('view-save').click();
  await page.getByTestId('view-name').fill('Schools');
  await page.getByTestId('view-save-confirm').click();
  await expect(page.getByTestId('views')).toHaveValue('Schools');
  await page.getByTestId('filter-clear').click();
  await expect(page.locator('[data-status]')).toHaveCount(13);

  await page.reload();
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await page.getByTestId('views').selectOption('Schools');
  await expect(page.getByTestId('search')).toHaveValue('school');
  await expect(page.locator('[data-status]')).toHaveCount(2);
  await page.getByTestId('views').selectOption('Breaking');
  await expect(page.locator('[data-status]')).toHaveCount(2);
  await page.getByTestId('views').selectOption('Schools');
  await page.getByTestId('view-delete').click();
  await expect(page.getByTestId('views').locator('option', { hasText: 'Schools' })).toHaveCount(0);
});

test('multi-select with shift-click, ctrl-click, Ctrl-A and X, then bulk decisions with a summary', async ({ page }, testInfo) => {
  await start();
  await openBoard(page);
  // review column order: rec000 (breaking), rec001, rec002, rec003
  await card(page, 'rec001').click();
  await card(page, 'rec003').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-count')).toHaveText('3 selected');
  for (const id of ['rec001', 'rec002', 'rec003']) await expect(card(page, id)).toHaveAttribute('data-checked', 'true');
  await card(page, 'rec002').click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByTestId('bulk-count')).toHaveText('2 selected');
  await page.screenshot({ path: testInfo.outputPath('bulk-selected.png') });

  await page.getByTestId('bulk-reject').click();
  await page.getByTestId('bulk-note').fill('Stock look, not our story');
  await page.getByTestId('bulk-reject-confirm').click();
  await expect(page.getByTestId('bulk-outcome')).toContainText('Rejected 2 of 2 stories');
  expect(callsOf('bulk')).toEqual([{ action: 'reject', articleIds: ['rec001', 'rec003'], reason: 'Stock look, not our story' }]);
  await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'rejected');
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await page.getByTestId('bulk-outcome-dismiss').click();

  // Ctrl/⌘-A takes the focused card's column; X takes one out again
  await card(page, 'rec000').click();
  await card(page, 'rec000').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByTestId('bulk-count')).toHaveText('2 selected');
  await page.keyboard.press('x');
  await expect(page.getByTestId('bulk-count')).toHaveText('1 selected');
  await expect(card(page, 'rec000')).toHaveAttribute('data-checked', 'false');
  // a story that cannot be approved stays picked and is named in the summary
  await card(page, 'rec008').click({ modifiers: ['ControlOrMeta'] });
  await page.getByTestId('bulk-approve').click();
  const outcome = page.getByTestId('bulk-outcome');
  await expect(outcome).toContainText('Approved 1 of 2 stories; 1 not approved:');
  await expect(outcome.getByTestId('bulk-failed-rec008')).toContainText('New bakery revives a 1920s storefront');
  await expect(outcome.getByTestId('bulk-failed-rec008')).toContainText('illegal status transition rejected → approved');
  await expect(page.getByTestId('bulk-count')).toHaveText('1 selected');
  await expect(card(page, 'rec002')).toHaveAttribute('data-status', /approved|published/);
  await page.screenshot({ path: testInfo.outputPath('bulk-outcome.png') });

  await page.getByTestId('bulk-regenerate').click();
  await expect(outcome).toContainText('Regenerating 1 of 1 story');
  await expect(card(page, 'rec008')).toHaveAttribute('data-status', /generating|generated/);
});

test('J/K move the focus and read out where it landed; empty columns are no tab stops', async ({ page }) => {
  await start();
  await openBoard(page);
  await page.locator('body').click({ position: { x: 5, y: 880 } });
  await page.keyboard.press('j');
  await expect(card(page, 'rec000')).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText(
    /^Water main break floods downtown streets during morning commute\. Awaiting review, 1 of 4\. Breaking\. Score 8\.4\.$/,
  );
  await page.keyboard.press('j');
  await expect(card(page, 'rec001')).toBeFocused();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await expect(page.getByTestId('announcer')).toContainText('Awaiting review, 2 of 4');
  await page.keyboard.press('k');
  await expect(card(page, 'rec000')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(card(page, 'rec008')).toBeFocused();
  await expect(page.getByTestId('announcer')).toContainText('Rejected, 1 of 1');

  // with one story shown, Tab from the search box reaches exactly one card before the drawer
  await page.keyboard.press('Escape');
  await page.getByTestId('search').fill('water main');
  await expect(page.locator('[data-status]')).toHaveCount(1);
  const stops: string[] = [];
  await page.getByTestId('search').focus();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate<string | null>(`(() => {
      const active = document.activeElement;
      const column = active?.closest('[data-testid^="column-"]')?.getAttribute('data-testid');
      return column ? column + ':' + (active.getAttribute('data-testid') ?? active.className) : null;
    })()`);
    if (where) stops.push(where);
  }
  expect([...new Set(stops)]).toEqual(['column-generated:card-rec000']);
});

test('the keyboard map opens on ?, keys can be remapped, and the new binding is kept', async ({ page }) => {
  await start();
  await openBoard(page);
  await page.keyboard.press('?');
  const map = page.getByTestId('keyboard-map');
  await expect(map).toBeVisible();
  await expect(map.getByTestId('keymap-key-approve')).toHaveText('A');
  await map.getByTestId('keymap-change-approve').click();
  await page.keyboard.press('y');
  await expect(map.getByTestId('keymap-key-approve')).toHaveText('Y');
  // taking a key another action has swaps them: no key does two things
  await map.getByTestId('keymap-change-approve').click();
  await page.keyboard.press('r');
  await expect(map.getByTestId('keymap-message')).toContainText('now uses Y');
  await expect(map.getByTestId('keymap-key-reject')).toHaveText('Y');
  await map.getByTestId('keymap-change-approve').click();
  await page.keyboard.press('y');
  await map.getByTestId('keymap-change-reject').click();
  await page.keyboard.press('r');
  await expect(map.getByTestId('keymap-key-approve')).toHaveText('Y');
  await expect(map.getByTestId('keymap-key-reject')).toHaveText('R');
  await page.keyboard.press('Escape');
  await expect(map).toHaveCount(0);

  await page.reload();
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await card(page, 'rec000').click();
  await page.keyboard.press('a');
  expect(callsOf('approve')).toEqual([]);
  await page.keyboard.press('y');
  await expect.poll(() => callsOf('approve')).toEqual([{ articleId: 'rec000' }]);
  await expect(page.locator('.hints')).toContainText('Y approve');

  await page.getByTestId('keyboard-help').click();
  await page.getByTestId('keymap-reset').click();
  await expect(page.getByTestId('keymap-key-approve')).toHaveText('A');
});

test('browser notifications for a breaking story ready and for failures, and a count in the title', async ({ page }) => {
  await page.addInitScript(`
    const shown = [];
    let permission = 'default';
    class FakeNotification {
      static get permission() { return permission; }
      static requestPermission() {
        window.asked = (window.asked ?? 0) + 1;
        permission = 'granted';
        return Promise.resolve(permission);
      }
      constructor(title, options) { this.onclick = null; shown.push({ title, body: options.body }); }
      close() {}
    }
    Object.assign(window, { Notification: FakeNotification, shown });
  `);
  await start();
  await openBoard(page);
  await expect(page).toHaveTitle('(4) Hero Desk · 1 failed');
  const notify = page.getByTestId('notify');
  await expect(notify).toHaveAttribute('data-state', 'ask');
  expect(await page.evaluate('window.asked ?? 0')).toBe(0); // never asked unprompted
  await notify.click();
  await expect(notify).toHaveAttribute('data-state', 'on');
  expect(await page.evaluate('window.asked')).toBe(1);

  core.update('rec006', { status: 'generated', score: 8.9 }); // the breaking storm warning is ready
  core.update('rec005', { status: 'failed', lastError: 'all providers failed' });
  core.update('rec004', { status: 'generated', score: 7.5 }); // regular: no notification
  const shown = () => page.evaluate<{ title: string; body: string }[]>('window.shown');
  await expect.poll(shown).toEqual([
    { title: 'Breaking story ready for review', body: 'Storm warning issued for coastal towns tonight' },
    { title: 'No image could be made', body: 'High school robotics team heads to nationals — all providers failed' },
  ]);
  await expect(page).toHaveTitle('(6) Hero Desk · 2 failed');

  await notify.click(); // mute
  await expect(notify).toHaveAttribute('data-state', 'muted');
  core.update('rec007', { status: 'failed' });
  await page.waitForTimeout(300);
  expect(await shown()).toHaveLength(2);
});

test('screenshots of the board at 1440×900 and 1024×768', async ({ page }, testInfo) => {
  await start({ settledExtra: 60 });
  for (const [width, height] of [
    [1440, 900],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await openBoard(page);
    await expect(card(page, 'rec000').getByTestId('card-image')).toHaveJSProperty('complete', true);
    await page.screenshot({ path: testInfo.outputPath(`board-${width}x${height}.png`) });
    await card(page, 'rec000').click();
    await expect(page.getByTestId('detail-image')).toHaveJSProperty('complete', true);
    await page.screenshot({ path: testInfo.outputPath(`board-${width}x${height}-drawer.png`) });
    await card(page, 'rec001').click({ modifiers: ['Shift'] });
    await card(page, 'rec003').click({ modifiers: ['Shift'] });
    await page.getByTestId('search').fill('');
    await page.screenshot({ path: testInfo.outputPath(`board-${width}x${height}-bulk.png`) });
  }
});
