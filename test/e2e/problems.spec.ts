// Open problems on the board, in a real browser against the real bridge and the scripted core: a
// board opened later still sees them, new ones appear live (one pulse, no toast per retry), resolved
// ones go, the keyboard flow, WCAG AA (axe) and the header at 1440, 1280 and 1024 wide.
// Needs the built renderer (npm run build → out/renderer).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore, type DemoProblemInput } from './support/demo-core.ts';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = join(root, 'out/renderer');
const resultsDir = join(root, 'test-results');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

// the board formats times in the browser's locale and zone: pin both so the expected words are known
test.use({ locale: 'en-GB', timezoneId: 'UTC' });

test.beforeAll(() => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader' });
  bridge = await startHttpBridge({ core, rendererDir, logger });
});

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

const MINUTE = 60_000;
const WRITEBACK_401: DemoProblemInput = {
  id: 'writeback:auth',
  area: 'writeback',
  level: 'error',
  message: 'AITable refused the API token (401): status write-back is paused, 12 records waiting',
  action: 'Save a new AITable token under Keys (or set HERO_DESK_SECRET_AITABLE)',
};
const SOURCE_DOWN: DemoProblemInput = {
  id: 'source:unreachable',
  area: 'source',
  level: 'warn',
  message: 'AITable is unreachable (connection reset); new stories wait',
};
const DISK_FULL: DemoProblemInput = {
  id: 'disk:full',
  area: 'disk',
  level: 'error',
  message: 'The disk holding the data folder is full',
  action: 'Free space on the disk with /var/lib/hero-desk; nothing is lost meanwhile',
};

const clock = (at: number) => new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const day = (at: number) => new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const sameUtcDay = (a: number, b: number) => new Date(a).toISOString().slice(0, 10) === new Date(b).toISOString().slice(0, 10);
/** How the board writes a moment: the clock today, "3 Dec, 14:02" before. */
const moment = (at: number) => (sameUtcDay(at, Date.now()) ? clock(at) : `${day(at)}, ${clock(at)}`);

const indicator = (page: Page) => page.getByTestId('problems');
const panel = (page: Page) => page.getByRole('dialog', { name: 'Open problems' });
const item = (page: Page, id: string) => page.getByTestId(`problem-${id}`);

async function openBoard(page: Page) {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

/** Counts the indicator's pulse animations from now on. */
async function countPulses(page: Page) {
  await indicator(page).evaluate((button) => {
    const counter = globalThis as unknown as { pulses: number };
    counter.pulses = 0;
    button.addEventListener('animationstart', () => (counter.pulses += 1));
  });
  return () => page.evaluate(() => (globalThis as unknown as { pulses: number }).pulses);
}

async function expectNoAxeViolations(page: Page, include: string) {
  const results = await new AxeBuilder({ page }).include(include).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a board opened after problems opened lists them, errors first, with the next step, since when and how often', async ({ page }) => {
  const now = Date.now();
  const longAgo = now - 3 * 24 * 60 * MINUTE;
  // the warning opened 25 minutes ago (or at midnight, when the UTC day is younger than that)
  const warnAt = Math.max(now - 25 * MINUTE, Date.parse(new Date(now).toISOString().slice(0, 10)));
  core.raiseProblem({ ...SOURCE_DOWN, at: warnAt });
  core.raiseProblem({ ...WRITEBACK_401, at: longAgo });
  core.raiseProblem({ ...WRITEBACK_401, at: longAgo + 10 * MINUTE });
  core.raiseProblem({ ...WRITEBACK_401, at: now - 2 * MINUTE });

  await page.setViewportSize({ width: 1440, height: 900 });
  await openBoard(page);
  const button = page.getByRole('button', { name: '2 problems, 1 error, 1 warning', exact: true });
  await expect(button).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('data-level', 'error');
  await expect(indicator(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(indicator(page).locator('.problems-count')).toHaveText('2');
  await expect(indicator(page).locator('.problems-word')).toHaveText(' problems');
  await expect(page.locator('.toast')).toHaveCount(0); // shown in place, not as a toast
  await page.locator('.app-header').screenshot({ path: join(resultsDir, 'problems-header.png'), animations: 'disabled' });

  await button.click();
  await expect(panel(page)).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('aria-expanded', 'true');
  await expect(indicator(page)).toHaveAttribute('aria-controls', 'problems-panel');
  await expect(panel(page).locator('h2')).toHaveText('Open problems');
  await expect(panel(page).locator('.popover-head .muted')).toHaveText('1 error, 1 warning');
  await expect(panel(page).locator('li')).toHaveCount(2);
  await expect(panel(page).locator('li').nth(0)).toHaveAttribute('data-testid', 'problem-writeback:auth');
  await expect(panel(page).locator('li').nth(1)).toHaveAttribute('data-testid', 'problem-source:unreachable');

  const error = item(page, 'writeback:auth');
  await expect(error).toHaveAttribute('data-level', 'error');
  await expect(error.locator('.problem-level')).toHaveText('Error');
  await expect(error.getByTestId('problem-area')).toHaveText('Write-back to the source');
  await expect(error.getByTestId('problem-message')).toHaveText(WRITEBACK_401.message);
  await expect(error.getByTestId('problem-action')).toHaveText(`Next step${WRITEBACK_401.action}`);
  await expect(error.getByTestId('problem-since')).toHaveText(`since ${day(longAgo)}, ${clock(longAgo)}`);
  await expect(error.getByTestId('problem-since')).toHaveAttribute('datetime', new Date(longAgo).toISOString());
  await expect(error.getByTestId('problem-seen')).toHaveText(`seen 3 times, last at ${moment(now - 2 * MINUTE)}`);

  const warning = item(page, 'source:unreachable');
  await expect(warning.locator('.problem-level')).toHaveText('Warning');
  await expect(warning.getByTestId('problem-area')).toHaveText('Story source');
  await expect(warning.getByTestId('problem-message')).toHaveText(SOURCE_DOWN.message);
  await expect(warning.getByTestId('problem-action')).toHaveText(
    'Nothing to do yet: Hero Desk keeps retrying, and this clears once it works.',
  );
  await expect(warning.getByTestId('problem-since')).toHaveText(new RegExp(`^since ${clock(warnAt)} \\((\\d+ min ago|just now)\\)$`));
  if (warnAt === now - 25 * MINUTE) await expect(warning.getByTestId('problem-since')).toHaveText(`since ${clock(warnAt)} (25 min ago)`);
  await expect(warning.getByTestId('problem-seen')).toHaveText('seen once');

  await page.screenshot({ path: join(resultsDir, 'problems-panel.png'), animations: 'disabled' });
  await expectNoAxeViolations(page, '.app-header');
});

test('a problem raised while the board is open appears and pulses once; its retries add no event, pulse or toast', async ({ page }) => {
  await openBoard(page);
  await expect(indicator(page)).toHaveAttribute('data-level', 'none');
  await expect(page.getByRole('button', { name: 'No problems', exact: true })).toBeVisible();
  await expectNoAxeViolations(page, '.app-header');
  const pulses = await countPulses(page);

  core.raiseProblem(DISK_FULL);
  await expect(page.getByRole('button', { name: '1 problem, 1 error', exact: true })).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('data-level', 'error');
  await expect.poll(pulses).toBe(1);
  await expect(page.getByTestId('problems-announcement')).toHaveText(`New problem, Disk: ${DISK_FULL.message}`);

  // the core retries every few seconds: the same fault is counted quietly, not pushed or re-announced
  for (let i = 0; i < 5; i++) core.raiseProblem(DISK_FULL);
  expect(core.problemEvents).toBe(1);
  // opening the panel re-reads the list, so the count is current
  await indicator(page).click();
  const disk = item(page, 'disk:full');
  await expect(disk.getByTestId('problem-seen')).toHaveText('seen 6 times');
  // a change of wording is news for the list, but it is not a new problem: no second pulse
  core.raiseProblem({ ...DISK_FULL, message: 'The disk holding the data folder is full (0 bytes left)' });
  await expect(disk.getByTestId('problem-message')).toHaveText('The disk holding the data folder is full (0 bytes left)');
  await expect(disk.getByTestId('problem-seen')).toHaveText('seen 7 times');
  expect(await pulses()).toBe(1);

  // another one while the panel is open: listed live (errors still first), and one more pulse
  core.raiseProblem(SOURCE_DOWN);
  await expect(page.getByRole('button', { name: '2 problems, 1 error, 1 warning', exact: true })).toBeVisible();
  await expect(panel(page).locator('li')).toHaveCount(2);
  await expect(panel(page).locator('li').nth(0)).toHaveAttribute('data-testid', 'problem-disk:full');
  await expect(item(page, 'source:unreachable').getByTestId('problem-message')).toHaveText(SOURCE_DOWN.message);
  await expect.poll(pulses).toBe(2);
  await expect(page.locator('.toast')).toHaveCount(0);
});

test('resolving a problem removes it: the count follows, it shows "Resolved" briefly, and none left says so', async ({ page }) => {
  core.raiseProblem(WRITEBACK_401);
  core.raiseProblem(SOURCE_DOWN);
  await openBoard(page);
  await indicator(page).click();
  await expect(panel(page).locator('li')).toHaveCount(2);

  core.resolveProblem(WRITEBACK_401.id);
  await expect(page.getByRole('button', { name: '1 problem, 1 warning', exact: true })).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('data-level', 'warn');
  await expect(panel(page).locator('.popover-head .muted')).toHaveText('1 warning');
  const gone = item(page, WRITEBACK_401.id);
  await expect(gone).toHaveAttribute('data-state', 'resolved');
  await expect(gone.getByTestId('problem-resolved')).toHaveText('✓ Resolved');
  await expect(panel(page).locator('li[data-state="open"]')).toHaveCount(1);
  await expectNoAxeViolations(page, '.app-header'); // the amber state and a resolved entry
  await page.locator('.app-header').screenshot({ path: join(resultsDir, 'problems-header-warn.png'), animations: 'disabled' });
  await expect(gone).toHaveCount(0); // after a few seconds

  core.resolveProblem(SOURCE_DOWN.id);
  await expect(page.getByRole('button', { name: 'No problems', exact: true })).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('data-level', 'none');
  await expect(page.getByTestId('problems-empty')).toContainText('Nothing needs you');
  await expect(panel(page).locator('li')).toHaveCount(0);
  await expect(panel(page).locator('.popover-head .muted')).toHaveText('none open');

  // a board opened now starts clean
  await page.reload();
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(indicator(page)).toHaveAttribute('data-count', '0');
});

test('a warning can be dismissed from the panel; an error cannot', async ({ page }) => {
  core.raiseProblem(WRITEBACK_401);
  core.raiseProblem({
    id: 'writeback:gone',
    area: 'writeback',
    level: 'warn',
    message: 'Write-back: record rec9 deleted in AITable',
    action: 'Dismiss this if the story was removed on purpose.',
  });
  await openBoard(page);
  await indicator(page).click();
  await expect(item(page, WRITEBACK_401.id).getByTestId('problem-dismiss')).toHaveCount(0);
  const warning = item(page, 'writeback:gone');
  await warning.getByRole('button', { name: 'Dismiss' }).click();
  await expect(warning.getByTestId('problem-resolved')).toHaveText('✓ Dismissed');
  await expect(page.getByRole('button', { name: '1 problem, 1 error', exact: true })).toBeVisible();
  expect(core.calls.filter((call) => call.name === 'dismissProblem').map((call) => call.input)).toEqual([{ id: 'writeback:gone' }]);
  // the keyboard stays in the panel, and the panel stays open
  await expect(panel(page).getByRole('list', { name: 'Problems, errors first' })).toBeFocused();
  await expect(warning).toHaveCount(0);
  await expect(panel(page)).toBeVisible();
});

test('keyboard: Tab reaches the indicator, Enter opens the dialog, board keys stay quiet, Esc returns focus', async ({ page }) => {
  core.raiseProblem(SOURCE_DOWN);
  await openBoard(page);
  await page.keyboard.press('Tab'); // the first control in the header
  await expect(indicator(page)).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page)).toBeFocused();
  await expect(panel(page)).toHaveAttribute('aria-labelledby', 'problems-panel-title');
  await page.keyboard.press('j'); // would select a card
  await page.keyboard.press('a'); // would approve it
  await expect(page.getByTestId('detail')).toHaveCount(0);
  expect(core.calls.filter((call) => call.name === 'approve')).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(indicator(page)).toBeFocused();
  await expect(indicator(page)).toHaveAttribute('aria-expanded', 'false');

  // Space opens it too; Tab reaches the list (scrollable by keys) and a warning's Dismiss; out closes it
  await page.keyboard.press(' ');
  await expect(panel(page)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(panel(page).getByRole('list', { name: 'Problems, errors first' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(item(page, SOURCE_DOWN.id).getByRole('button', { name: 'Dismiss' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel(page)).toHaveCount(0);
  await expect(page.getByTestId('spend')).toBeFocused();

  // a click outside closes it as well
  await indicator(page).click();
  await expect(panel(page)).toBeVisible();
  await page.locator('.hints').click();
  await expect(panel(page)).toHaveCount(0);
});

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 1024, height: 720 },
]) {
  test(`the header keeps one row and the panel stays on screen at ${size.width}×${size.height}`, async ({ page }) => {
    // the widest header: an error level, a reader link, and more problems than fit in the panel's height
    core.raiseProblem(WRITEBACK_401);
    for (let i = 1; i <= 6; i++)
      core.raiseProblem({
        ...DISK_FULL,
        id: `storage:${i}`,
        area: 'storage',
        level: 'warn',
        message: `Image storage bucket ${i} answers 503`,
      });
    await page.setViewportSize(size);
    await openBoard(page);
    await expect(indicator(page)).toHaveAttribute('data-count', '7');

    const header = page.locator('.app-header');
    const box = (await header.boundingBox())!;
    expect(box.height).toBeLessThan(70); // one row (two would be about 100)
    expect(await header.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    for (const control of await header.locator('button, a').all()) {
      const b = (await control.boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(size.width);
      expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height);
    }
    // the name still says how many, even where the word "problems" is hidden to save room
    await expect(page.getByRole('button', { name: '7 problems, 1 error, 6 warnings', exact: true })).toBeVisible();

    await indicator(page).click();
    const dialog = (await panel(page).boundingBox())!;
    expect(dialog.x).toBeGreaterThanOrEqual(0);
    expect(dialog.x + dialog.width).toBeLessThanOrEqual(size.width);
    expect(dialog.y + dialog.height).toBeLessThanOrEqual(size.height);
    // the list scrolls inside the panel: the last problem can be reached
    await item(page, 'storage:6').scrollIntoViewIfNeeded();
    await expect(item(page, 'storage:6')).toBeInViewport();
    await page.screenshot({ path: join(resultsDir, `problems-panel-${size.width}x${size.height}.png`), animations: 'disabled' });
    // the narrowest header hides words: it must still pass (1440 is checked above)
    if (size.width === 1024) await expectNoAxeViolations(page, '.app-header');
  });
}
