// Embargo in a real browser against the real bridge and the scripted core: "Publish at…" in the
// drawer sets a time, the card counts down ("Embargoed until 14:00 · 12 min"), an approved story
// waits for it, and Publish now / Cancel embargo send it at once. Needs the built renderer.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? join(root, 'out/renderer');
const resultsDir = join(root, 'test-results');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

// the browser's clock is UTC, so a datetime-local value is the UTC wall-clock time
test.use({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });

test.beforeAll(() => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});
test.beforeEach(async () => {
  core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader', undoMs: 4_000 });
  bridge = await startHttpBridge({ core, rendererDir, logger });
});
test.afterEach(async () => {
  await bridge.stop();
  await core.close();
});

const card = (page: Page, id: string) => page.getByTestId(`card-${id}`);
const drawer = (page: Page) => page.getByTestId('detail');
const callsOf = (name: string) => core.calls.filter((c) => c.name === name).map((c) => c.input);

async function open(page: Page, id: string) {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await card(page, id).click();
  await expect(drawer(page)).toHaveAttribute('data-article-id', id);
}

/** A datetime-local value `minutes` from now (UTC, to the minute) and the ms it stands for. */
function inMinutes(minutes: number): { value: string; ms: number } {
  const value = new Date(Date.now() + minutes * 60_000 + 30_000).toISOString().slice(0, 16);
  return { value, ms: Date.parse(`${value}:00Z`) };
}

test.describe('embargo', () => {
  test('Publish at… holds the story; the card counts down; once approved, Publish now sends it', async ({ page }, testInfo) => {
    await open(page, 'rec003');
    await drawer(page).getByTestId('embargo-open').click();
    const at = inMinutes(12);
    await page.getByTestId('embargo-input').fill(at.value);
    await page.getByTestId('embargo-save').click();
    await expect.poll(() => callsOf('setEmbargo')).toEqual([{ articleId: 'rec003', publishAt: at.ms }]);
    const line = card(page, 'rec003').getByTestId('card-embargo');
    await expect(line).toHaveText(new RegExp(`^Embargoed until ${at.value.slice(11)} · 1[23] min$`));
    await expect(drawer(page).getByTestId('embargo-status')).toContainText('applies once approved');

    await page.getByTestId('approve').click();
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'approved');
    await expect(card(page, 'rec003').getByTestId('card-undo')).toHaveCount(0); // the wait is the embargo's
    await expect(line).toBeVisible();
    await page.waitForTimeout(4_500); // past the undo window: still held
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'approved');
    await open(page, 'rec003');
    await expect(drawer(page).getByTestId('embargo-status')).toHaveText(/^Embargoed until \d{2}:\d{2} · 1[123] min$/);
    await page.screenshot({ path: join(resultsDir, 'embargo.png') });
    await testInfo.attach('embargo', { path: join(resultsDir, 'embargo.png'), contentType: 'image/png' });

    await drawer(page).getByTestId('publish-now').click();
    await expect.poll(() => callsOf('publishNow')).toEqual([{ articleId: 'rec003' }]);
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'published');
    await expect(card(page, 'rec003').getByTestId('card-embargo')).toHaveCount(0);
    await expect(drawer(page).getByTestId('embargo')).toHaveCount(0); // a live story has no embargo to set
  });

  test('a short embargo counts down in seconds and the story goes out at its time; Cancel embargo sends one at once', async ({ page }) => {
    await open(page, 'rec003');
    expect(await core.dispatch('setEmbargo', { articleId: 'rec003', publishAt: Date.now() + 4_000 })).toMatchObject({ ok: true });
    await page.getByTestId('approve').click();
    await expect(card(page, 'rec003').getByTestId('card-embargo')).toHaveText(/^Embargoed until \d{2}:\d{2} · [1-4] s$/);
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'approved');
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'published', { timeout: 10_000 });

    await open(page, 'rec001');
    await drawer(page).getByTestId('embargo-open').click();
    await page.getByTestId('embargo-input').fill(inMinutes(90).value);
    await page.getByTestId('embargo-save').click();
    await expect(card(page, 'rec001').getByTestId('card-embargo')).toHaveText(/· 1 h 3\d min$/);
    await page.getByTestId('approve').click();
    await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'approved');
    await open(page, 'rec001');
    await drawer(page).getByTestId('embargo-cancel').click();
    await expect.poll(() => callsOf('setEmbargo').at(-1)).toEqual({ articleId: 'rec001', publishAt: null });
    await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'published');
  });
});
