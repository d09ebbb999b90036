// Comfort (issue 10, item 11): axe (WCAG 2.1 A and AA) finds nothing on the board, the drawer and
// every panel and dialog, in light and in dark; and screenshots of each at 1440×900, 1024×768 and a
// phone's 390×844, light and dark, kept in test-results/screenshots/ to look at. Dark mode here is
// the OS's (prefers-color-scheme) with the switch on Auto, the way most editors will meet it.
// Needs the built renderer (npm run build → out/renderer).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = join(root, 'out/renderer');
const shotsDir = join(root, 'test-results/screenshots');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

test.use({ locale: 'en-GB', timezoneId: 'UTC' });

test.beforeAll(() => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
  mkdirSync(shotsDir, { recursive: true });
});

test.beforeEach(async () => {
  core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader', settledExtra: 3 });
  core.raiseProblem({
    id: 'writeback:auth',
    area: 'writeback',
    level: 'error',
    message: 'AITable refused the API token (401): write-back is paused',
    action: 'Save a new AITable token under Keys',
  });
  core.raiseProblem({
    id: 'source:unreachable',
    area: 'source',
    level: 'warn',
    message: 'AITable is unreachable (connection reset); new stories wait',
  });
  bridge = await startHttpBridge({ core, rendererDir, logger });
});

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

type Theme = 'light' | 'dark';
const VIEWPORTS = [
  { name: '1440', width: 1440, height: 900 },
  { name: '1024', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const phone = (page: Page) => (page.viewportSize()?.width ?? 1440) < 640;

async function openBoard(page: Page, theme: Theme) {
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
  await page.goto('about:blank'); // the board URL differs only in its #token: without this, no fresh load
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  // every thumbnail in sight has loaded (a screenshot of grey boxes shows nothing)
  // (browser code as strings: this file is type-checked without the DOM library). Polled from here, one
  // evaluate per try: page.waitForFunction re-evaluates a string with eval inside the page, which the
  // board's CSP (no 'unsafe-eval') refuses whenever the first try finds an image still loading.
  await expect
    .poll(() => page.evaluate(`[...document.querySelectorAll('img')].every((img) => img.complete)`), { timeout: 15_000 })
    .toBe(true);
}

/** Opens a story's drawer the way the editor would on this width (on a phone: its column first). */
async function openCard(page: Page, column: string, id: string) {
  if (phone(page)) await page.getByTestId(`switch-${column}`).click();
  await page.getByTestId(`card-${id}`).click();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', id);
}

async function closeDrawer(page: Page) {
  await page.getByTestId('drawer-close').click();
  await expect(page.getByTestId('detail')).toHaveCount(0);
}

interface PanelState {
  name: string;
  /** Brings the board into this state from a fresh board. */
  open(page: Page): Promise<void>;
}

/** Every panel and dialog an editor meets, each opened from a fresh board. */
const STATES: PanelState[] = [
  { name: 'board', open: async () => undefined },
  {
    name: 'filters',
    open: async (page) => {
      if (phone(page)) await page.getByTestId('filters-toggle').click();
      await page.getByTestId('search').fill('bridge');
      await page.getByTestId('filter-lowScore').click();
      await page.getByTestId('filter-lowScore').click();
      await page.getByTestId('filter-tier').selectOption('regular');
      await expect(page.getByTestId('filter-count')).toContainText('of');
    },
  },
  { name: 'drawer', open: (page) => openCard(page, 'generated', 'rec002') },
  { name: 'drawer-pending', open: (page) => openCard(page, 'pending', 'rec004') },
  {
    name: 'retract-dialog',
    open: async (page) => {
      await openCard(page, 'published', 'rec010');
      await page.getByTestId('retract').click();
      await expect(page.getByTestId('retract-dialog')).toBeVisible();
    },
  },
  {
    name: 'bulk',
    open: async (page) => {
      if (phone(page)) await page.getByTestId('switch-generated').click();
      await page.getByTestId('card-rec001').click({ modifiers: ['ControlOrMeta'] });
      await page.getByTestId('card-rec002').click({ modifiers: ['ControlOrMeta'] });
      await expect(page.getByTestId('bulk-count')).toHaveText('2 selected');
    },
  },
  { name: 'problems', open: (page) => openPopover(page, 'problems', 'problems-panel') },
  { name: 'spend', open: (page) => openPopover(page, 'spend', 'ledger-panel', 'ledger-tier-breaking') },
  { name: 'keys', open: (page) => openPopover(page, 'keys', 'keys-panel', 'secret-openai') },
  { name: 'queue', open: (page) => openPopover(page, 'queue', 'queue-panel') },
  {
    name: 'keyboard-map',
    open: async (page) => {
      // a phone has no keyboard shortcuts to show, so no button for them; the key still opens the map
      if (phone(page)) await page.keyboard.press('?');
      else await page.getByTestId('keyboard-help').click();
      await expect(page.getByTestId('keyboard-map')).toBeVisible();
    },
  },
  {
    name: 'settings',
    open: async (page) => {
      await page.getByTestId('open-settings').click();
      await expect(page.getByTestId('settings')).toBeVisible();
      await expect(page.getByTestId('settings-path')).toBeVisible();
    },
  },
];

async function openPopover(page: Page, button: string, panel: string, ready?: string) {
  await page.getByTestId(button).click();
  await expect(page.getByTestId(panel)).toBeVisible();
  if (ready) await expect(page.getByTestId(ready)).toBeVisible();
}

const PHONE_AXE = ['board', 'filters', 'bulk', 'drawer', 'queue'];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`));
}

// One pass per theme over every width and state: a screenshot of each, no sideways scroll, and axe
// on each at 1440 and on what a phone lays out differently (one pass, so each state opens once).
for (const theme of ['light', 'dark'] as const) {
  test(`${theme}: axe finds no WCAG 2.1 A/AA violation; screenshots at 1440, 1024 and 390 wide, none scrolling sideways`, async ({
    page,
  }) => {
    test.setTimeout(600_000);
    const found: Record<string, string[]> = {};
    const sideways: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const state of STATES) {
        await openBoard(page, theme);
        await state.open(page);
        await page.screenshot({ path: join(shotsDir, `${viewport.name}-${theme}-${state.name}.png`), animations: 'disabled' });
        // nothing is wider than the window: no sideways scroll, no control cut off at the edge
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        if (overflow > 0) sideways.push(`${viewport.name} ${state.name}: ${overflow}px`);
        const scan = viewport.name === '1440' || (viewport.name === 'phone' && PHONE_AXE.includes(state.name));
        const list = scan ? await violations(page) : [];
        if (list.length > 0) found[`${viewport.name} ${state.name}`] = list;
      }
    }
    console.log(`axe ${theme}: ${Object.values(found).flat().length} violations`);
    expect(found).toEqual({});
    expect(sideways).toEqual([]);
  });
}

test('on a phone: one column at a time, big tap targets, the drawer full-screen with a clear Back', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openBoard(page, 'light');
  // the review column first; the others one switch away
  await expect(page.getByTestId('column-generated')).toBeVisible();
  await expect(page.getByTestId('column-pending')).toBeHidden();
  await expect(page.getByTestId('switch-generated')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('switch-published').click();
  await expect(page.getByTestId('column-published')).toBeVisible();
  await expect(page.getByTestId('column-generated')).toBeHidden();
  await expect(page.getByTestId('switch-published')).toHaveAttribute('aria-pressed', 'true');
  // every button, field and tab on the screen is at least 44 px tall
  const small = await page.evaluate<string[]>(`
    [...document.querySelectorAll('button, select, input, a.btn, [role="option"]')]
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.dataset.testid || el.className || el.tagName)
  `);
  expect(small).toEqual([]);

  await page.getByTestId('switch-generated').click();
  await openCard(page, 'generated', 'rec001');
  const drawer = await page.getByTestId('detail').boundingBox();
  expect(drawer).toMatchObject({ x: 0, width: 390 });
  await expect(page.getByTestId('drawer-close')).toHaveText(/Back/);
  await expect(page.getByTestId('board')).toBeHidden(); // the drawer is the screen
  await expect(page.getByTestId('drawer-close')).toBeFocused(); // the focus starts on Back, not on a hidden card
  await page.getByTestId('approve').click(); // the next story to review opens
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec002');
  // the arrow keys move on across columns; back on the board, the switcher shows where the story is
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('detail').locator('.status')).toHaveText('Rejected');
  const moved = await page.getByTestId('detail').getAttribute('data-article-id');
  await closeDrawer(page);
  await expect(page.getByTestId('switch-rejected')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('column-rejected')).toBeVisible();
  await expect(page.getByTestId(`card-${moved}`)).toBeFocused();
});

test('the theme switch: Auto (following the OS), Light or Dark, kept in this browser', async ({ page }) => {
  await openBoard(page, 'light');
  const theme = page.getByTestId('theme');
  await expect(theme).toHaveAttribute('data-choice', 'auto');
  await expect(theme).toHaveAccessibleName('Colour theme: Auto (follows your system)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark'); // Auto follows the OS live
  await theme.click();
  await expect(theme).toHaveAttribute('data-choice', 'light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light'); // over the OS's dark
  const background = () => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
  const light = await background();
  await theme.click();
  await expect(theme).toHaveAttribute('data-choice', 'dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(light);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await expect(page.getByTestId('theme')).toHaveAttribute('data-choice', 'dark'); // kept across a reload
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme').click(); // back to Auto: the OS's light again
  await expect(page.getByTestId('theme')).toHaveAttribute('data-choice', 'auto');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('focus order: header, then filters, then columns, then the drawer', async ({ page }) => {
  await openBoard(page, 'light');
  await page.getByTestId('card-rec001').click();
  // start from the top of the page, as a keyboard user arriving would (focusing <body> moves the start point)
  await page.evaluate('document.body.tabIndex = -1; document.body.focus()');
  const order: string[] = [];
  for (let n = 0; n < 60; n++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate<string>(`(() => {
        const el = document.activeElement;
        if (!el) return 'none';
        if (el.closest('.app-header')) return 'header';
        if (el.closest('.toolbar')) return 'filters';
        if (el.closest('.board')) return 'columns';
        if (el.closest('.detail')) return 'drawer';
        return 'other';
      })()`),
    );
  }
  const firsts = order.filter((area, index) => area !== 'other' && order.indexOf(area) === index);
  expect(firsts).toEqual(['header', 'filters', 'columns', 'drawer']);
});
