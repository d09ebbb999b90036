// The board's defects from issue 10, each pinned by a test that failed on the old board: the retract
// form leaking onto other cards, one R pulling a published image, the selection skipping cards when a
// decision failed, a stale token never detected, the drawer covering columns and toasts covering the
// drawer, the drawer's scroll carried over, retracted cards still "Live", the header cut at 720 px.
// Needs the built renderer (npm run build → out/renderer; HERO_DESK_RENDERER_DIR picks another build).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? resolve(import.meta.dirname, '../../out/renderer');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  core = await createDemoCore();
  bridge = await startHttpBridge({ core, rendererDir, logger });
});

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

const card = (page: Page, id: string) => page.getByTestId(`card-${id}`);
const callsOf = (name: string) => core.calls.filter((c) => c.name === name).map((c) => c.input);

async function openBoard(page: Page) {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element has no box');
  return found;
}

test('the retract form of a published card does not follow the editor to other cards', async ({ page }) => {
  const duplicateKeys: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('same key')) duplicateKeys.push(message.text());
  });
  await openBoard(page);
  await card(page, 'rec010').click();
  await expect(page.getByTestId('retract')).toHaveCount(1);
  await page.getByTestId('retract').click();
  await expect(page.getByTestId('retract-reason')).toBeVisible();
  // the confirmation is modal: the editor leaves it (Esc) before moving on
  await page.keyboard.press('Escape');
  for (const other of ['rec001', 'rec011', 'rec002', 'rec009']) {
    await card(page, other).click();
    await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', other);
    const published = other === 'rec011';
    await expect(page.getByTestId('retract')).toHaveCount(published ? 1 : 0);
    await expect(page.getByTestId('retract-reason')).toHaveCount(0);
  }
  expect(duplicateKeys).toEqual([]);
});

test('R on a published card opens the reason form instead of pulling the image at once', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec010').click();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec010');
  // a published story offers no Reject button at all: only "Pull from readers…"
  await expect(page.getByTestId('reject')).toHaveCount(0);
  await page.keyboard.press('r');
  await expect(page.getByTestId('retract-reason')).toBeFocused();
  await expect(card(page, 'rec010')).toHaveAttribute('data-status', 'published');
  expect(callsOf('reject')).toEqual([]);
  expect(callsOf('retract')).toEqual([]);
  // typing the reason does not trigger shortcuts; Escape-free cancel keeps it live
  await page.keyboard.type('Wrong ferry');
  await expect(card(page, 'rec010')).toHaveAttribute('data-status', 'published');
  // the core refuses a reject on a published story too, whoever sends it
  expect(await core.dispatch('reject', { articleId: 'rec010' })).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
});

test('a failed approve keeps the selection on the card that was not approved', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec002').click();
  core.cards.delete('rec002'); // the core forgets it: approve answers not_found
  await page.keyboard.press('a');
  await expect(page.locator('.toast-error')).toContainText('Could not approve');
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec002');
});

test('a stale token is said plainly, and A then skips nothing', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec000').click();
  const { port } = bridge;
  await bridge.stop();
  bridge = await startHttpBridge({ core, rendererDir, logger, port }); // Hero Desk restarted: a new token
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'unauthorized', { timeout: 20_000 });
  await expect(page.getByTestId('access-banner')).toContainText('Open the Board URL');
  await expect(page.getByTestId('connection')).toHaveText('Access expired');
  await page.keyboard.press('a');
  await expect(page.locator('.toast-error')).toContainText('no longer valid');
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec000');
  await page.keyboard.press('a');
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec000');
  expect(callsOf('approve')).toEqual([]);
  // it stopped trying: no "Reconnecting…" loop
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'unauthorized');
});

test('the drawer sits beside the board: every column stays reachable, toasts stay off its buttons', async ({ page }, testInfo) => {
  await openBoard(page);
  await card(page, 'rec000').click();
  const drawer = page.getByTestId('detail');
  await expect(drawer).toBeVisible();
  const drawerBox = await box(drawer);
  for (const column of ['pending', 'generating', 'generated', 'rejected', 'approved', 'published', 'failed']) {
    const head = page.getByTestId(`column-${column}`).locator('.column-head');
    await head.scrollIntoViewIfNeeded();
    const headBox = await box(head);
    expect(overlaps(headBox, drawerBox), `${column} column under the drawer`).toBe(false);
    // what is at the column's title is the column, not the drawer
    const [x, y] = [headBox.x + headBox.width / 2, headBox.y + headBox.height / 2];
    // (browser code as a string: this file is type-checked without the DOM library)
    const hit = await page.evaluate(`!!document.elementFromPoint(${x}, ${y})?.closest('[data-testid="column-${column}"]')`);
    expect(hit, `${column} column hidden`).toBe(true);
  }
  core.notice('warn', 'Daily budget 80% used');
  core.notice('info', 'Checking the source');
  const toast = page.locator('.toast-warn');
  await expect(toast).toBeVisible();
  for (const button of await drawer.locator('button').all()) {
    if (!(await button.isVisible())) continue;
    const buttonBox = await box(button);
    if (buttonBox.y > 900) continue; // scrolled out of the window
    expect(overlaps(await box(toast), buttonBox), 'a toast on a drawer button').toBe(false);
  }
  await page.screenshot({ path: testInfo.outputPath('drawer-beside-board.png') });
});

test('each story opens at the top of the drawer', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 640 });
  await openBoard(page);
  await card(page, 'rec001').click();
  const drawer = page.getByTestId('detail');
  await drawer.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  expect(await drawer.evaluate((element) => element.scrollTop)).toBeGreaterThan(50);
  await page.keyboard.press('j');
  await expect(drawer).not.toHaveAttribute('data-article-id', 'rec001');
  expect(await page.getByTestId('detail').evaluate((element) => element.scrollTop)).toBe(0);
});

test('a retracted card says it was pulled, not "Live"', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec011').click();
  await expect(page.getByText('Published image ↗')).toBeVisible();
  // the event a retraction brings: rejected, with the retraction (an older event may still carry the URL)
  core.update('rec011', { status: 'rejected', retraction: { reason: 'Wrong wing pictured', at: Date.now(), delivered: true } });
  await expect(card(page, 'rec011')).toHaveAttribute('data-status', 'rejected');
  await expect(page.getByText('Published image ↗')).toHaveCount(0);
  await expect(page.getByTestId('detail').getByText('Live', { exact: true })).toHaveCount(0);
  await expect(page.getByTestId('retraction')).toContainText('Pulled from readers');
  await expect(page.getByTestId('retraction')).toContainText('Wrong wing pictured');
  await expect(card(page, 'rec011').getByTestId('card-retracted')).toHaveText('Pulled from readers');
});

test('at 720 px wide the header wraps and nothing in it, nor its panels, is cut off', async ({ page }, testInfo) => {
  await bridge.stop();
  await core.close();
  core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader' });
  core.raiseProblem({ id: 'source', area: 'source', level: 'error', message: 'AITable unreachable' });
  bridge = await startHttpBridge({ core, rendererDir, logger });
  await page.setViewportSize({ width: 720, height: 800 });
  await openBoard(page);
  const header = page.locator('.app-header');
  expect(await header.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  const controls = header.locator('button, a, .stats > div');
  expect(await controls.count()).toBeGreaterThan(6);
  for (const control of await controls.all()) {
    if (!(await control.isVisible())) continue;
    const controlBox = await box(control);
    expect(controlBox.x, await control.innerText()).toBeGreaterThanOrEqual(0);
    expect(controlBox.x + controlBox.width, await control.innerText()).toBeLessThanOrEqual(720);
  }
  await page.screenshot({ path: testInfo.outputPath('header-720.png') });
  // each panel the header opens fits the window too
  for (const id of ['spend', 'keys', 'problems', 'add-story']) {
    await page.getByTestId(id).click();
    const panel = page.locator('.app-header .popover');
    await expect(panel).toBeVisible();
    const panelBox = await box(panel);
    expect(panelBox.x, `${id} panel`).toBeGreaterThanOrEqual(0);
    expect(panelBox.x + panelBox.width, `${id} panel`).toBeLessThanOrEqual(720);
    await page.screenshot({ path: testInfo.outputPath(`header-720-${id}.png`) });
    if (id === 'add-story') await panel.getByRole('button', { name: 'Cancel' }).click();
    else await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
  }
});
