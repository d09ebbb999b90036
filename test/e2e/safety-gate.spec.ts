// The safety gate and the cost forecast on the board, in a real browser against the real bridge
// and the scripted core: the drawer lists each check with its state and reason; approving an image
// that failed one (button or A key) opens a dialog that needs a reason, which goes with the
// approval; a story waiting for its image shows what one is expected to cost; the ledger shows the
// month, the sections and the queue's estimate. Needs the built renderer (npm run build → out/renderer).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { safetyChecks } from '../../electron/core/pipeline/safety-checks.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? join(root, 'out/renderer');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

test.use({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });

test.beforeAll(() => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  core = await createDemoCore({ readerUrl: null, undoMs: 4_000 });
  bridge = await startHttpBridge({ core, rendererDir, logger });
});

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

const card = (page: Page, id: string) => page.getByTestId(`card-${id}`);
const callsOf = (name: string) => core.calls.filter((c) => c.name === name).map((c) => c.input);
const drawer = (page: Page) => page.getByTestId('detail');

async function openBoard(page: Page) {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

test('a failed check: the drawer says which and why, and Approve (or A) asks for a reason first', async ({ page }) => {
  // the school-board story's image shows a real person, as a vision check would flag it
  const flags = ['identifiable_person' as const];
  core.update('rec001', { flags, checks: safetyChecks({ flags, score: 7.9, minScore: 6 }) });
  await openBoard(page);
  await expect(card(page, 'rec001').getByTestId('card-gate-fail')).toHaveText('Failed a safety check');
  await card(page, 'rec001').click();
  await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec001');
  const checks = drawer(page).getByTestId('safety-checks');
  await expect(checks.getByTestId('check-people')).toHaveAttribute('data-state', 'fail');
  await expect(checks.getByTestId('check-people')).toContainText('identifiable person');
  await expect(checks.getByTestId('check-text')).toHaveAttribute('data-state', 'pass');
  await expect(checks.locator('li')).toHaveCount(7);

  // the button opens the dialog; nothing is approved yet, and Cancel keeps it in review
  await drawer(page).getByTestId('approve').click();
  const dialog = page.getByTestId('override-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Faces / real people');
  expect(callsOf('approve')).toEqual([]);
  await dialog.getByTestId('override-cancel').click();
  await expect(dialog).toBeHidden();

  // the A key opens the same dialog rather than approving; typing in it is not a shortcut
  await page.keyboard.press('a');
  await expect(dialog).toBeVisible();
  expect(callsOf('approve')).toEqual([]);
  await expect(dialog.getByTestId('override-confirm')).toBeDisabled();
  await dialog.getByTestId('override-reason').fill('Official portrait, cleared by the picture desk');
  await dialog.getByTestId('override-confirm').click();
  await expect
    .poll(() => callsOf('approve'))
    .toEqual([{ articleId: 'rec001', overrideReason: 'Official portrait, cleared by the picture desk' }]);
  await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'approved');
  await expect(card(page, 'rec001').getByTestId('card-gate-fail')).toHaveText('Safety check overridden');
});

test('a clean image approves with one key, no dialog; the core refuses a failed one without a reason', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec003').click();
  await expect(drawer(page).getByTestId('check-people')).toHaveAttribute('data-state', 'pass');
  await page.keyboard.press('a');
  await expect.poll(() => callsOf('approve')).toEqual([{ articleId: 'rec003' }]);
  await expect(page.getByTestId('override-dialog')).toHaveCount(0);
  // the demo core answers like the real one for a client that skips the dialog
  const flags = ['gore' as const];
  core.update('rec001', { flags, checks: safetyChecks({ flags, score: 7.9, minScore: 6 }) });
  const refused = await core.dispatch('approve', { articleId: 'rec001' });
  expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('approve with a reason') } });
});

test('the forecast: a waiting story shows its estimate, and the ledger shows the month, the sections and the queue', async ({ page }) => {
  await openBoard(page);
  // the robotics story waits for its image on the regular tier
  await expect(card(page, 'rec005').getByTestId('card-estimate')).toHaveText('est. $0.04');
  await expect(card(page, 'rec000').getByTestId('card-estimate')).toHaveCount(0); // it has its image
  await card(page, 'rec005').click();
  await expect(drawer(page).getByTestId('detail-estimate')).toContainText('est. $0.04 per image');

  await page.getByTestId('spend').click();
  const panel = page.getByTestId('ledger-panel');
  await expect(panel).toBeVisible();
  const month = new Date().toISOString().slice(0, 7);
  await expect(panel.getByText(`Month ${month}`)).toBeVisible();
  await expect(panel.getByTestId('ledger-month-total')).toHaveText(await panel.getByTestId('ledger-total').innerText());
  // waiting: two pending regular, one generating breaking, one scoring regular
  await expect(panel.getByTestId('ledger-queued-estimate')).toHaveText('est. $0.340');
  await expect(panel.getByTestId('ledger-sections')).toBeVisible();
  await expect(panel.getByTestId('ledger-section-Transport')).toContainText('$');
});
