// The drawer in a real browser against the real bridge and the scripted core: candidates side by
// side, prompt history and the scorer's suggestion, crops around a draggable (and keyboard-movable)
// focal point, the editor's own photo, alt text and credit, reject with a note, the retraction
// behind a confirmation, undo of an approval, and the drawer's defects (a form or button following
// you to other cards, R pulling a live image, the previous card's scroll position).
// Needs the built renderer (npm run build → out/renderer).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import sharp from 'sharp';
import { cropRectangle } from '../../shared/crop.ts';
import type { CardDetail } from '../../shared/domain.ts';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const root = resolve(import.meta.dirname, '../..');
// HERO_DESK_RENDERER_DIR: run these against another build (an older one, to see a defect test fail)
const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? join(root, 'out/renderer');
const resultsDir = join(root, 'test-results');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

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
const callsOf = (name: string) => core.calls.filter((c) => c.name === name).map((c) => c.input);
const drawer = (page: Page) => page.getByTestId('detail');

/** Scrolls the drawer so a section starts at its top (for the screenshots). */
const toTop = (page: Page, testId: string) => page.getByTestId(testId).evaluate((element) => element.scrollIntoView({ block: 'start' }));

async function openBoard(page: Page) {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

/** Clicks a card; only cards the drawer does not cover (it sits over the right-hand columns for now). */
async function open(page: Page, id: string) {
  await card(page, id).click();
  await expect(drawer(page)).toHaveAttribute('data-article-id', id);
}

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#2a6f97' } })
    .composite([{ input: { create: { width: Math.round(width / 3), height, channels: 3, background: '#f4a261' } }, left: 0, top: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();

test.describe('drawer defects', () => {
  test('"Pull from readers…" stays with published cards: one copy, and never on a card you move to', async ({ page }) => {
    await openBoard(page);
    await open(page, 'rec010');
    await expect(drawer(page).getByTestId('retract')).toHaveCount(1);
    // move with the keyboard, the drawer staying open: down to the other published card, then left
    // through Approved and Rejected to Awaiting review
    const moves: [string, string, number][] = [
      ['ArrowDown', 'rec011', 1],
      ['ArrowLeft', 'rec009', 0],
      ['ArrowLeft', 'rec008', 0],
      ['ArrowLeft', 'rec000', 0],
    ];
    for (const [key, id, retracts] of moves) {
      await page.keyboard.press(key);
      await expect(drawer(page)).toHaveAttribute('data-article-id', id);
      await expect(drawer(page).getByTestId('retract'), id).toHaveCount(retracts);
      await expect(page.getByTestId('retract-reason')).toHaveCount(0);
      await expect(page.getByTestId('prompt-input')).toHaveCount(1);
    }
    // a reason form left open does not follow either
    await page.keyboard.press('Escape');
    await open(page, 'rec011');
    await page.getByTestId('retract').click();
    await expect(page.getByTestId('retract-reason')).toBeVisible();
    await page.keyboard.press('Escape'); // closes the confirmation (the old inline form kept it)
    await drawer(page).locator('.detail-headline').click();
    await page.keyboard.press('ArrowLeft');
    await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec009');
    await expect(page.getByTestId('retract-reason')).toHaveCount(0);
    await expect(drawer(page).getByTestId('retract')).toHaveCount(0);
  });

  test('R on a published card pulls nothing; the retraction needs a reason in a confirmation', async ({ page }, testInfo) => {
    await openBoard(page);
    await open(page, 'rec010');
    // R opens the confirmation that asks why; it pulls nothing by itself
    await page.keyboard.press('r');
    const dialog = page.getByTestId('retract-dialog');
    await expect(dialog).toBeVisible();
    expect(callsOf('reject')).toEqual([]);
    expect(callsOf('retract')).toEqual([]);
    await expect(card(page, 'rec010')).toHaveAttribute('data-status', 'published');

    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('retract-reason')).toBeFocused();
    await expect(page.getByTestId('retract-confirm')).toBeDisabled();
    // keys typed into the dialog stay there: no approve, no move, and Esc closes only the dialog
    await page.keyboard.type('ajk');
    await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec010');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec010');
    expect(callsOf('retract')).toEqual([]);

    await page.getByTestId('retract').click();
    await page.getByTestId('retract-reason').fill('Wrong bridge pictured');
    await page.screenshot({ path: join(resultsDir, 'drawer-retract-dialog.png') });
    await testInfo.attach('drawer-retract-dialog', { path: join(resultsDir, 'drawer-retract-dialog.png'), contentType: 'image/png' });
    await page.getByTestId('retract-confirm').click();
    await expect(card(page, 'rec010')).toHaveAttribute('data-status', 'rejected');
    expect(callsOf('retract')).toEqual([{ articleId: 'rec010', reason: 'Wrong bridge pictured' }]);
    await expect(page.getByTestId('review-note')).toContainText('Pulled from readers: Wrong bridge pictured');
    await expect(drawer(page).getByText('Published image ↗')).toHaveCount(0);
  });

  test("a card opens at the top of the drawer, not at the previous card's scroll position", async ({ page }) => {
    await openBoard(page);
    await open(page, 'rec002');
    await drawer(page).evaluate((element) => element.scrollTo(0, element.scrollHeight));
    expect(await drawer(page).evaluate((element) => element.scrollTop)).toBeGreaterThan(50);
    await open(page, 'rec001');
    expect(await drawer(page).evaluate((element) => element.scrollTop)).toBe(0);
  });
});

test.describe('candidates and prompts', () => {
  test('shows every candidate side by side and makes the one picked the image', async ({ page }, testInfo) => {
    await openBoard(page);
    await open(page, 'rec002');
    const list = page.getByTestId('candidates');
    await expect(list.locator('.candidate')).toHaveCount(3);
    const answer = await core.dispatch('cardDetail', { articleId: 'rec002' });
    if (!answer.ok) throw new Error(answer.error.message);
    const detail = answer.value as CardDetail;
    const [first, second, third] = detail.candidates;
    // newest first, the current one marked; score, reason, flags, who made it, cost, seed and prompt on each
    await expect(list.locator('.candidate').first()).toHaveAttribute('data-testid', `candidate-${third!.imageId}`);
    await expect(page.getByTestId(`candidate-${third!.imageId}`)).toHaveAttribute('data-current', 'true');
    const older = page.getByTestId(`candidate-${first!.imageId}`);
    await expect(older).toContainText('3.8/10');
    await expect(older).toContainText(first!.scoreReason!);
    await expect(older).toContainText('low score');
    await expect(older).toContainText('workers-ai · flux-1-schnell');
    await expect(older).toContainText('$0.003');
    await expect(older).toContainText(String(first!.seed));
    await expect(older).toContainText('attempt 1');
    await older.locator('summary').click();
    await expect(older.locator('.candidate-prompt p')).toContainText('Editorial illustration for "Farmers market moves');
    // side by side: the first row holds more than one candidate
    const boxes = await Promise.all([third, second].map((c) => page.getByTestId(`candidate-${c!.imageId}`).boundingBox()));
    expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2);
    await toTop(page, 'section-candidates');
    await page.screenshot({ path: join(resultsDir, 'drawer-candidates.png') });
    await testInfo.attach('drawer-candidates', { path: join(resultsDir, 'drawer-candidates.png'), contentType: 'image/png' });

    await page.getByTestId(`choose-candidate-${second!.imageId}`).click();
    await expect.poll(() => callsOf('chooseCandidate')).toEqual([{ articleId: 'rec002', imageId: second!.imageId }]);
    await expect(card(page, 'rec002')).toHaveAttribute('data-image-url', second!.url);
    await expect(page.getByTestId(`candidate-${second!.imageId}`)).toHaveAttribute('data-current', 'true');
    await expect(page.getByTestId(`choose-candidate-${second!.imageId}`)).toBeDisabled();
    await expect(page.getByTestId('detail-image')).toHaveAttribute('src', second!.url);
  });

  test("offers the scorer's revised prompt in one click and every earlier prompt again", async ({ page }) => {
    await openBoard(page);
    await open(page, 'rec002');
    await expect(page.getByTestId('suggested-prompt')).toHaveText(
      'Open-air farmers market on the riverfront at golden hour, striped awnings, no signs',
    );
    await page.getByTestId('use-suggestion').click();
    await expect
      .poll(() => callsOf('regenerate'))
      .toEqual([{ articleId: 'rec002', prompt: 'Open-air farmers market on the riverfront at golden hour, striped awnings, no signs' }]);
    await expect(card(page, 'rec002')).toHaveAttribute('data-status', 'generated');
    // the new image joined the candidates and its prompt the history
    await expect(page.getByTestId('candidates').locator('.candidate')).toHaveCount(4);
    const history = page.getByTestId('prompt-history');
    await expect(history.locator('li')).toHaveCount(4);
    await expect(history.locator('li').first()).toContainText('Open-air farmers market on the riverfront at golden hour');
    await expect(history.locator('li').first()).not.toContainText('Style:');
    await expect(page.getByTestId('prompt-use-0')).toContainText('Attempt 1');

    await page.getByTestId('use-prompt-1').click();
    await expect
      .poll(() => callsOf('regenerate').at(-1))
      .toEqual({ articleId: 'rec002', prompt: 'Stalls of fruit and flowers on the riverfront promenade, summer morning' });
  });
});

test.describe("crops and the editor's image", () => {
  test('previews the hero, Open Graph and square crops around a focal point moved by mouse or keyboard', async ({ page }, testInfo) => {
    await openBoard(page);
    await open(page, 'rec003');
    const crops = page.getByTestId('crops');
    await crops.scrollIntoViewIfNeeded();
    const image = core.cards.get('rec003')!.image!;
    const expected = (name: 'og' | 'square', x: number, y: number) => {
      const size = name === 'og' ? [1200, 630] : [1080, 1080];
      const r = cropRectangle(image.width, image.height, size[0]!, size[1]!, { x, y });
      return `${r.left},${r.top},${r.width},${r.height}`;
    };
    await expect(page.getByTestId('crop-square')).toHaveAttribute('data-crop', expected('square', 0.5, 0.5));

    // keyboard: the arrows move the point (not the board's selection) and it is saved after a moment
    const handle = page.getByTestId('focal-handle');
    await handle.focus();
    let x = 0.5; // the same steps in the same floating point as the page takes them
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowLeft');
      x -= 0.02;
      // a save lands between two presses: the handle keeps the keyboard focus through it
      if (i === 2) await expect.poll(() => callsOf('setImageDetails').length).toBe(1);
    }
    await page.keyboard.press('Shift+ArrowUp');
    await expect(handle).toHaveAttribute('data-focal', '0.400,0.400');
    await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec003');
    await expect(page.getByTestId('crop-square')).toHaveAttribute('data-crop', expected('square', x, 0.5 - 0.1));
    expect(expected('square', x, 0.4)).not.toBe(expected('square', 0.5, 0.5));
    await expect
      .poll(() => callsOf('setImageDetails').at(-1))
      .toMatchObject({ articleId: 'rec003', focalPoint: { x: expect.closeTo(0.4, 5), y: expect.closeTo(0.4, 5) } });
    await expect(page.getByTestId('focal-status')).toContainText('Every crop centres on your focal point');

    // mouse: drag the point to the left edge, low down
    const frame = await page.getByTestId('focal-frame').boundingBox();
    await page.mouse.move(frame!.x + frame!.width * 0.4, frame!.y + frame!.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(frame!.x + frame!.width * 0.2, frame!.y + frame!.height * 0.6, { steps: 5 });
    await page.mouse.move(frame!.x + 2, frame!.y + frame!.height * 0.9, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('crop-square')).toHaveAttribute('data-crop', expected('square', 0, 0.9));
    await expect
      .poll(() => (callsOf('setImageDetails').at(-1) as { focalPoint: { x: number; y: number } }).focalPoint.x)
      .toBeLessThan(0.01);
    const saved = (callsOf('setImageDetails').at(-1) as { focalPoint: { x: number; y: number } }).focalPoint;
    expect(saved.y).toBeCloseTo(0.9, 1);
    await expect(page.getByTestId('crop-og')).toHaveAttribute('data-crop', expected('og', saved.x, saved.y));
    await toTop(page, 'section-crops');
    await page.screenshot({ path: join(resultsDir, 'drawer-crops.png') });
    await testInfo.attach('drawer-crops', { path: join(resultsDir, 'drawer-crops.png'), contentType: 'image/png' });
  });

  test("uses the editor's photo with a credit, refuses one it cannot publish, and saves alt text and credit", async ({
    page,
  }, testInfo) => {
    await openBoard(page);
    await open(page, 'rec001');
    const small = await photo(800, 450);
    await page.getByTestId('photo-input').setInputFiles({ name: 'small.jpg', mimeType: 'image/jpeg', buffer: small });
    await expect(page.getByTestId('photo-error')).toHaveText(
      '“small.jpg” is only 800×450; use one at least 1200×630 so the hero and social crops stay sharp',
    );
    await expect(page.getByTestId('candidates').locator('.candidate')).toHaveCount(1);

    await page.getByTestId('photo-credit').fill('Jane Doe / Harbour Herald');
    await page.getByTestId('photo-input').setInputFiles({ name: 'classroom.jpg', mimeType: 'image/jpeg', buffer: await photo(2400, 1350) });
    await expect(page.getByTestId('candidates').locator('.candidate')).toHaveCount(2);
    expect(callsOf('uploadImage').at(-1)).toMatchObject({
      articleId: 'rec001',
      fileName: 'classroom.jpg',
      credit: 'Jane Doe / Harbour Herald',
    });
    const mine = page.getByTestId('candidates').locator('.candidate[data-current="true"]');
    await expect(mine).toContainText('Your photo');
    await expect(mine).toContainText('classroom.jpg');
    await expect(page.getByTestId('photo-error')).toHaveCount(0);
    await expect(card(page, 'rec001')).toHaveAttribute('data-image-url', /\/upload\//);
    await expect(page.getByTestId('credit-line')).toHaveText('Photo: Jane Doe / Harbour Herald');

    await page.getByTestId('alt-text-input').fill('Pupils at their desks on the first four-day week.');
    await page.getByTestId('credit-input').fill('Jane Doe');
    await page.getByTestId('save-details').click();
    await expect
      .poll(() => callsOf('setImageDetails').at(-1))
      .toMatchObject({ articleId: 'rec001', altText: 'Pupils at their desks on the first four-day week.', credit: 'Jane Doe' });
    await expect(page.getByTestId('credit-line')).toHaveText('Photo: Jane Doe');
    await expect(page.getByTestId('detail-image')).toHaveAttribute('alt', 'Pupils at their desks on the first four-day week.');
    await toTop(page, 'section-candidates');
    await page.screenshot({ path: join(resultsDir, 'drawer-own-photo.png') });
    await testInfo.attach('drawer-own-photo', { path: join(resultsDir, 'drawer-own-photo.png'), contentType: 'image/png' });
  });
});

test.describe('decisions', () => {
  test('rejects with a note that stays on the card', async ({ page }) => {
    await openBoard(page);
    await open(page, 'rec001');
    await page.getByTestId('reject-with-note').click();
    await expect(page.getByTestId('reject-note-input')).toBeFocused();
    await page.keyboard.type('Shows a city school, the story is rural'); // typing "a" or "r" here must not act
    expect(callsOf('approve')).toEqual([]);
    await page.getByTestId('reject-note-confirm').click();
    await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'rejected');
    expect(callsOf('reject')).toEqual([{ articleId: 'rec001', reason: 'Shows a city school, the story is rural' }]);
    await open(page, 'rec001');
    await expect(page.getByTestId('review-note')).toHaveText('Rejected: Shows a city school, the story is rural');
  });

  test('an approval can be undone from the card during its countdown; then nothing is published', async ({ page }, testInfo) => {
    await openBoard(page);
    await open(page, 'rec003');
    await page.keyboard.press('a');
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'approved');
    const undo = card(page, 'rec003').getByTestId('card-undo');
    await expect(undo).toContainText(/Publishing in [1-4] s/);
    await page.screenshot({ path: join(resultsDir, 'card-undo.png') });
    await testInfo.attach('card-undo', { path: join(resultsDir, 'card-undo.png'), contentType: 'image/png' });
    await card(page, 'rec003').getByTestId('card-undo-button').click();
    await expect.poll(() => callsOf('undoApprove')).toEqual([{ articleId: 'rec003' }]);
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'generated');
    await expect(drawer(page)).toHaveAttribute('data-article-id', 'rec003'); // back to it, in review
    await page.waitForTimeout(4_500);
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'generated');

    // approved again and left alone: the countdown runs out and it is published; nothing to undo then
    await page.getByTestId('approve').click();
    await expect(card(page, 'rec003').getByTestId('card-undo')).toBeVisible();
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'published', { timeout: 10_000 });
    await expect(card(page, 'rec003').getByTestId('card-undo')).toHaveCount(0);

    // breaking news goes out at once: no undo on the card
    await open(page, 'rec000');
    await page.getByTestId('approve').click();
    await expect(card(page, 'rec000')).toHaveAttribute('data-status', 'published');
    await expect(card(page, 'rec000').getByTestId('card-undo')).toHaveCount(0);
  });

  test('the drawer shows the undo window of the selected card too', async ({ page }) => {
    // a longer window than the other tests': approving advances to the next card and the test opens
    // this one again, which on a loaded machine took longer than 4 s (the window ran out first)
    await bridge.stop();
    await core.close();
    core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader', undoMs: 20_000 });
    bridge = await startHttpBridge({ core, rendererDir, logger });
    await openBoard(page);
    await open(page, 'rec003');
    await page.getByTestId('approve').click();
    await open(page, 'rec003');
    await expect(page.getByTestId('undo-approval')).toContainText(/Goes to readers in \d+ s/);
    await page.getByTestId('undo-approve').click();
    await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'generated');
    await expect(page.getByTestId('undo-approval')).toHaveCount(0);
  });
});

test.describe('deadline, then upgrade', () => {
  test("the card says an upgrade is on its way, then ready; the history shows each attempt's prompt", async ({ page }) => {
    await openBoard(page);
    const prompt = 'Flooded downtown street at rush hour, buses wading, muted colours';
    const history = [
      {
        provider: 'workers-ai',
        model: 'flux-1-schnell',
        outcome: 'ok' as const,
        detail: null,
        score: 8.4,
        costUsd: 0.003,
        at: Date.now() - 30_000,
        prompt,
      },
      { provider: 'local', model: '', outcome: 'ok' as const, detail: null, score: 8.4, costUsd: 0, at: Date.now() - 29_000, prompt: null },
    ];
    core.update('rec002', { upgrade: 'on_the_way', history });
    await expect(card(page, 'rec002').getByTestId('upgrade-badge')).toHaveText(/upgrade on the way/i);
    await open(page, 'rec002');
    await expect(drawer(page).getByTestId('upgrade')).toContainText('still being made');
    const rows = drawer(page).locator('table.history tbody tr');
    await expect(rows.first().locator('.attempt-prompt')).toContainText(prompt);
    await expect(rows.nth(1).locator('.attempt-prompt')).toHaveText('–');

    core.update('rec002', { upgrade: 'ready' });
    await expect(card(page, 'rec002').getByTestId('upgrade-badge')).toHaveText(/upgrade ready/i);
    await expect(drawer(page).getByTestId('upgrade')).toContainText('pick it from the candidates');
    core.update('rec002', { upgrade: null });
    await expect(card(page, 'rec002').getByTestId('upgrade-badge')).toHaveCount(0);
  });
});
