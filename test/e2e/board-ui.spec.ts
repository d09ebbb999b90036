// The board in a real browser against the real bridge, with a small stateful core standing in for
// the pipeline: layout, keyboard review flow, prompt editing, notices, reconnect + resync, API keys.
// Needs the built renderer (npm run build → out/renderer).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const rendererDir = resolve(import.meta.dirname, '../../out/renderer');
const logger = pino({ level: 'silent' });
let core: DemoCore;
let bridge: HttpBridge;

// a missing build is a failure, not a skip: a skipped e2e would let CI pass without the browser flow
test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  core = await createDemoCore({ readerUrl: 'http://127.0.0.1:9/reader' });
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

test('shows every column with counts and keeps the token out of the address bar', async ({ page }, testInfo) => {
  await openBoard(page);
  expect(new URL(page.url()).hash).toBe('');
  for (const [column, count] of Object.entries({
    pending: 2,
    generating: 2,
    generated: 4,
    rejected: 1,
    approved: 1,
    published: 2,
    failed: 1,
  })) {
    await expect(page.getByTestId(`column-${column}`).locator('[data-status]')).toHaveCount(count);
    await expect(page.getByTestId(`column-${column}`).locator('.count')).toHaveText(String(count));
  }
  // breaking first in the review column, and its image is the thumbnail
  const first = page.getByTestId('column-generated').locator('[data-status]').first();
  await expect(first).toHaveAttribute('data-testid', 'card-rec000');
  await expect(first.getByTestId('card-image')).toHaveAttribute('src', core.cards.get('rec000')!.image!.thumbUrl);
  await expect(first.getByTestId('card-image')).toHaveJSProperty('complete', true);
  await expect(page.getByTestId('reader-link')).toHaveAttribute('href', 'http://127.0.0.1:9/reader');
  await page.screenshot({ path: testInfo.outputPath('board-demo.png'), fullPage: true });

  // a reload keeps working from sessionStorage
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
});

test('reviews by keyboard: approve and reject auto-advance to the next card awaiting review', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec000').click();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec000');
  await expect(page.getByTestId('approve')).toContainText('A');

  await page.keyboard.press('a');
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await expect(card(page, 'rec000')).toHaveAttribute('data-status', 'published');
  expect(callsOf('approve')).toEqual([{ articleId: 'rec000' }]);

  await page.keyboard.press('r');
  await expect(card(page, 'rec001')).toHaveAttribute('data-status', 'rejected');
  await expect(page.getByTestId('detail')).not.toHaveAttribute('data-article-id', 'rec001');
  expect(callsOf('reject')).toEqual([{ articleId: 'rec001' }]);

  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail')).toHaveCount(0);
});

test('edits the prompt, saves it and regenerates with it', async ({ page }, testInfo) => {
  await openBoard(page);
  await card(page, 'rec003').click();
  await expect(page.getByTestId('detail-image')).toHaveJSProperty('complete', true);
  await page.screenshot({ path: testInfo.outputPath('board-detail.png') });
  await page.keyboard.press('e');
  const prompt = page.getByTestId('prompt-input');
  await expect(prompt).toBeFocused();
  await expect(prompt).toHaveValue(core.cards.get('rec003')!.prompt);
  await prompt.fill('Watercolour of the harbor bridge at dawn, cranes, no people');
  // typing "a" inside the textarea must not approve
  await prompt.press('a');
  expect(callsOf('approve')).toEqual([]);
  await prompt.fill('Watercolour of the harbor bridge at dawn, cranes, no people');
  await page.getByTestId('save-prompt').click();
  await expect
    .poll(() => callsOf('setPrompt'))
    .toEqual([{ articleId: 'rec003', prompt: 'Watercolour of the harbor bridge at dawn, cranes, no people' }]);
  await expect(page.getByText('edited by an editor')).toBeVisible();

  const imageBefore = await card(page, 'rec003').getAttribute('data-image-url');
  await prompt.fill('Pencil sketch of the harbor bridge');
  await page.getByTestId('regenerate-with-prompt').click();
  await expect(card(page, 'rec003')).not.toHaveAttribute('data-image-url', imageBefore ?? '');
  await expect(card(page, 'rec003')).toHaveAttribute('data-status', 'generated');
  expect(callsOf('regenerate')).toEqual([{ articleId: 'rec003', prompt: 'Pencil sketch of the harbor bridge' }]);
  await expect(prompt).toHaveValue('Pencil sketch of the harbor bridge');

  await page.locator('body').click({ position: { x: 5, y: 895 } });
  await card(page, 'rec003').click();
  await page.keyboard.press('g');
  await expect.poll(() => callsOf('regenerate').length).toBe(2);
});

test('adds a demo story and shows core notices as toasts', async ({ page }) => {
  await openBoard(page);
  await page.getByTestId('add-story').click();
  await page.getByTestId('story-headline').fill('Bridge reopens after inspection');
  await page.getByTestId('story-section').fill('Transport');
  await page.getByTestId('story-breaking').check();
  await page.getByTestId('story-submit').click();
  const added = page.locator('[data-status]', { hasText: 'Bridge reopens after inspection' });
  await expect(added).toHaveAttribute('data-status', 'generated');
  await expect(added.locator('.tier-breaking')).toBeVisible();
  expect(callsOf('addDemoArticle')).toEqual([
    { headline: 'Bridge reopens after inspection', summary: '', section: 'Transport', breaking: true },
  ]);

  core.notice('warn', 'Daily budget 80% used');
  await expect(page.locator('.toast-warn')).toContainText('Daily budget 80% used');
});

test('shows a command failure as an error toast', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec002').click();
  core.cards.delete('rec002'); // the core forgets it: approve answers not_found
  await page.getByTestId('approve').click();
  await expect(page.locator('.toast-error')).toContainText('Could not approve');
});

test('reconnects after the bridge restarts and resyncs what it missed', async ({ page }) => {
  await openBoard(page);
  const { port, token } = bridge;
  await bridge.stop();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting');
  core.update('rec005', { status: 'failed', lastError: 'changed while the board was away' }, true);
  bridge = await startHttpBridge({ core, rendererDir, logger, port, token });
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(card(page, 'rec005')).toHaveAttribute('data-status', 'failed');
  await expect(card(page, 'rec005')).toContainText('changed while the board was away');
});

test('pulls a published image from readers with a reason', async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec010').click();
  await expect(page.getByText('Published image ↗')).toBeVisible();
  await page.getByTestId('retract').click();
  await expect(page.getByTestId('retract-confirm')).toBeDisabled();
  await page.getByTestId('retract-reason').fill('Wrong bridge pictured');
  await page.getByTestId('retract-confirm').click();
  // as the core does: rejected at once, and it says it was pulled (not "Live")
  await expect(card(page, 'rec010')).toHaveAttribute('data-status', 'rejected');
  await expect(card(page, 'rec010').getByTestId('card-retracted')).toHaveText('Pulled from readers');
  await expect(page.getByTestId('retraction')).toContainText('Wrong bridge pictured');
  await expect(page.getByText('Published image ↗')).toHaveCount(0);
  expect(callsOf('retract')).toEqual([{ articleId: 'rec010', reason: 'Wrong bridge pictured' }]);

  await page.getByTestId('check-now').click();
  await expect.poll(() => callsOf('checkNow')).toEqual([{}]);
});

test("shows the day's spend by tier, refreshes while open and jumps to a costly story", async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec001').click();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');

  const spentOn = (tier: string) => {
    const attempts = [...core.cards.values()].filter((c) => c.tier === tier).flatMap((c) => c.history);
    return { cost: `$${attempts.reduce((sum, a) => sum + a.costUsd, 0).toFixed(3)}`, calls: attempts.length };
  };

  await page.getByTestId('spend').click();
  const panel = page.getByTestId('ledger-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('spend')).toHaveAttribute('aria-expanded', 'true');
  expect(callsOf('ledger')).toContainEqual({});
  const regular = panel.getByTestId('ledger-tier-regular');
  const expected = spentOn('regular');
  expect(expected.calls).toBeGreaterThan(0);
  await expect(regular.getByTestId('ledger-tier-cost')).toHaveText(expected.cost);
  await expect(regular.getByTestId('ledger-tier-calls')).toHaveText(`${expected.calls} calls`);
  // 0.064 of a 0.08 budget: the bar turns amber
  await expect(regular).toHaveAttribute('data-level', 'near');
  await expect(regular.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '80');
  await expect(panel.getByTestId('ledger-tier-breaking').getByTestId('ledger-tier-cost')).toHaveText(spentOn('breaking').cost);
  await expect(panel.getByTestId('ledger-tier-default')).toHaveAttribute('data-level', 'none');
  await expect(panel.locator('.ledger-articles li')).toHaveCount(5);
  await expect(panel.locator('.ledger-articles li').first()).toContainText('Ferry service suspended');
  await expect(panel.locator('.ledger-articles li').first()).toContainText('$0.040');
  await expect(panel.locator('h2')).toContainText(String(new Date().getUTCFullYear()));
  await page.screenshot({ path: '/tmp/ledger.png' });

  // the board's single-key shortcuts stay quiet while the panel has the keyboard
  await page.keyboard.press('a');
  await page.keyboard.press('j');
  expect(callsOf('approve')).toEqual([]);
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');

  // a new provider call while open shows up without reopening
  await core.dispatch('regenerate', { articleId: 'rec003' });
  await expect.poll(() => spentOn('regular').calls).toBe(expected.calls + 1);
  await expect(regular.getByTestId('ledger-tier-cost')).toHaveText(spentOn('regular').cost);
  await expect(regular.getByTestId('ledger-tier-calls')).toHaveText(`${expected.calls + 1} calls`);
  await expect(regular).toHaveAttribute('data-level', 'near');

  // Esc closes the panel only: the card stays selected and the stat gets the focus back
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await expect(page.getByTestId('spend')).toBeFocused();

  // keyboard opens it too; a click outside closes it
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();
  await page.locator('.hints').click();
  await expect(panel).toHaveCount(0);

  // clicking a story selects its card, and A then acts on that card
  await page.getByTestId('spend').click();
  await panel.getByTestId('ledger-article-rec000').click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec000');
  await page.keyboard.press('a');
  await expect.poll(() => callsOf('approve')).toEqual([{ articleId: 'rec000' }]);
  expect(callsOf('ledger').every((input) => JSON.stringify(input) === '{}')).toBe(true);
});

test("lists the integrations' keys and saves or removes one without it ever reaching the page", async ({ page }) => {
  await openBoard(page);
  await card(page, 'rec001').click();
  await page.getByTestId('keys').click();
  const panel = page.getByTestId('keys-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('keys')).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.getByTestId('secret-status-openai')).toHaveText('set · environment');
  await expect(panel.getByTestId('secret-openai')).toContainText(
    'HERO_DESK_SECRET_OPENAI is set in the environment and wins over a key saved here',
  );
  await expect(panel.getByTestId('secret-remove-openai')).toHaveCount(0);
  await expect(panel.getByTestId('secret-status-aitable')).toHaveText('not set');
  await expect(panel.getByTestId('secret-remove-aitable')).toHaveCount(0);

  const input = panel.getByTestId('secret-input-aitable');
  await expect(input).toHaveAttribute('type', 'password');
  await expect(input).toHaveAttribute('autocomplete', 'off');
  await expect(panel.getByTestId('secret-save-aitable')).toBeDisabled();
  // typing in the field never reaches the board's shortcuts ("a" would approve the selected card)
  const secret = 'usk-demo-7f3a9c1e5b2d';
  await input.pressSequentially(secret);
  expect(callsOf('approve')).toEqual([]);
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await page.screenshot({ path: '/tmp/keys.png' });

  await panel.getByTestId('secret-save-aitable').click();
  await expect(input).toHaveValue('');
  await expect(panel.getByTestId('secret-status-aitable')).toHaveText('set · file');
  expect(callsOf('setSecret')).toEqual([{ name: 'aitable', value: secret }]);
  expect(core.savedSecrets.get('aitable')).toBe(secret);
  await expect(page.locator('.toast-info').filter({ hasText: 'Key "aitable" saved' })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  const values = await Promise.all((await page.locator('input').all()).map((field) => field.inputValue()));
  expect(values.join('|')).not.toContain(secret);

  await panel.getByTestId('secret-remove-aitable').click();
  await expect(panel.getByTestId('secret-status-aitable')).toHaveText('not set');
  await expect(panel.getByTestId('secret-remove-aitable')).toHaveCount(0);
  expect(core.savedSecrets.has('aitable')).toBe(false);
  expect(callsOf('setSecret').at(-1)).toEqual({ name: 'aitable', value: null });
  expect(callsOf('secrets').length).toBeGreaterThanOrEqual(3); // reloaded after each change

  // the core refuses keys its config does not use
  const refused = await core.dispatch('setSecret', { name: 'nope', value: 'x' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

  // Esc closes the panel only; a click outside closes it too
  await input.focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('keys')).toBeFocused();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();
  await page.locator('.hints').click();
  await expect(panel).toHaveCount(0);
});

test('says where keys come from when they cannot be saved, and when none are needed', async ({ page }) => {
  const restart = async (options: Parameters<typeof createDemoCore>[0]) => {
    await bridge.stop();
    await core.close();
    core = await createDemoCore(options);
    bridge = await startHttpBridge({ core, rendererDir, logger });
  };
  await restart({ secretsWritable: false });
  await openBoard(page);
  await page.getByTestId('keys').click();
  const panel = page.getByTestId('keys-panel');
  await expect(panel.getByTestId('keys-readonly')).toContainText('HERO_DESK_SECRET_<NAME>');
  await expect(panel.getByTestId('secret-status-openai')).toHaveText('set · environment');
  await expect(panel.getByTestId('secret-status-aitable')).toHaveText('not set');
  await expect(panel.getByTestId('secret-input-aitable')).toBeDisabled();
  await expect(panel.getByTestId('secret-save-aitable')).toBeDisabled();
  await expect(panel.getByTestId('secret-aitable')).toContainText('HERO_DESK_SECRET_AITABLE');
  await expect(panel.getByTestId('secret-openai')).toContainText('Read from HERO_DESK_SECRET_OPENAI in the environment');
  await page.screenshot({ path: '/tmp/keys-readonly.png' });

  await restart({ secretNames: [] });
  await openBoard(page);
  await page.getByTestId('keys').click();
  await expect(page.getByTestId('keys-empty')).toContainText('No integrations that need keys are configured');
  await expect(page.getByTestId('keys-empty')).toContainText('docs/hero-desk.config.example.json');
  await page.screenshot({ path: '/tmp/keys-empty.png' });
});

test('explains how to get in when opened without a token', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${bridge.port}/`);
  await expect(page.getByText('This board needs its access link')).toBeVisible();
});
