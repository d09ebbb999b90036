// The settings screen in a real browser against the real bridge. The settings commands run the real
// settings code on a real config file (demo-core.ts); the AITable field check talks to the fake
// Fusion server. Needs the built renderer (npm run build → out/renderer).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { createDemoCore, type DemoCore, type DemoCoreOptions } from './support/demo-core.ts';

const rendererDir = resolve(import.meta.dirname, '../../out/renderer');
const logger = pino({ level: 'silent' });
let core: DemoCore | null = null;
let bridge: HttpBridge | null = null;
let fake: FakeFusion | null = null;

test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.afterEach(async () => {
  await bridge?.stop();
  await core?.close();
  await fake?.close();
  [bridge, core, fake] = [null, null, null];
});

async function start(options: DemoCoreOptions = {}) {
  core = await createDemoCore(options);
  bridge = await startHttpBridge({ core, rendererDir, logger });
  return core;
}

async function openSettings(page: Page) {
  await page.goto(bridge!.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('settings-path')).toContainText('hero-desk.config.json');
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="settings"]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const field = (page: Page, path: string) => page.locator(`[data-path="${path}"]`);
const errorAt = (page: Page, path: string) => page.getByTestId(`error-${path}`);
const fileOf = (demo: DemoCore) => JSON.parse(readFileSync(demo.configPath, 'utf8')) as Record<string, unknown>;

test('tiers, thresholds and story policy: errors next to their fields, nothing written until it is right, then applied', async ({
  page,
}, testInfo) => {
  const demo = await start({ config: { site: 'Harbour Gazette', tiers: { breaking: { minScore: 8 } } } });
  await openSettings(page);
  await expect(field(page, 'tiers.breaking.minScore')).toHaveValue('8');
  await expect(field(page, 'tiers.regular.deadlineSeconds')).toHaveValue('900');
  await expect(field(page, 'tiers.default.dailyBudgetUsd')).toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath('settings-1440.png') });

  // mistakes: the validator's words appear next to each field as the editor types
  await field(page, 'tiers.regular.minScore').fill('11');
  await field(page, 'tiers.breaking.deadlineSeconds').fill('soon');
  await page.getByRole('button', { name: 'Remove default-image from Default' }).click();
  await page.getByRole('button', { name: 'Remove title-card from Default' }).click();
  await expect(errorAt(page, 'tiers.regular.minScore')).toHaveText('At most 10');
  await expect(errorAt(page, 'tiers.breaking.deadlineSeconds')).toContainText('Enter a number');
  await expect(errorAt(page, 'tiers.default.providers')).toContainText('Choose at least one');
  await expect(field(page, 'tiers.regular.minScore')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('settings-state')).toHaveText('3 mistakes to fix before saving');

  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-invalid')).toContainText('3 values need fixing');
  expect(readFileSync(demo.configPath, 'utf8')).toBe(
    `${JSON.stringify({ site: 'Harbour Gazette', tiers: { breaking: { minScore: 8 } } }, null, 2)}\n`,
  );
  // the edits are still on screen, and focus went to the first mistake
  await expect(field(page, 'tiers.regular.minScore')).toHaveValue('11');
  await expect(field(page, 'tiers.breaking.deadlineSeconds')).toHaveValue('soon');
  await expect(page.getByLabel('Provider to add to Default')).toBeFocused(); // the first mistake on screen: the empty Default chain
  await page.screenshot({ path: testInfo.outputPath('settings-errors-1440.png') });
  await expectNoAxeViolations(page);

  // fixed: saved to the file, and what the running core takes at once is reported as applied
  await field(page, 'tiers.regular.minScore').fill('8.5');
  await field(page, 'tiers.breaking.deadlineSeconds').fill('120');
  await page.getByLabel('Provider to add to Default').selectOption('title-card');
  await page.getByTestId('chain-add-tiers.default.providers').click();
  await page.getByLabel('Hard-news sections').fill('crime, courts, justice, politics');
  await page.getByText('No AI image: the default image').click();
  await expect(page.getByTestId('settings-state')).toHaveText('Unsaved changes');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toContainText(
    'In effect now: tiers.breaking.deadlineSeconds, tiers.regular.minScore, tiers.default.providers, prompt.policy',
  );
  await expect(page.getByTestId('settings-state')).toHaveText('Saved: 4 in effect now');
  expect(fileOf(demo)).toEqual({
    site: 'Harbour Gazette',
    tiers: { breaking: { minScore: 8, deadlineSeconds: 120 }, regular: { minScore: 8.5 }, default: { providers: ['title-card'] } },
    prompt: { policy: { hardNewsSections: ['crime', 'courts', 'justice', 'politics'], hardNewsMode: 'default-image' } },
  });
  expect(demo.liveApplied).toHaveLength(1);
  // the board reads its thresholds again (it marks low scores by them)
  await expect.poll(() => demo.calls.filter((call) => call.name === 'appInfo').length).toBe(2);
  await page.locator('#settings-policy').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: testInfo.outputPath('settings-policy-1440.png') });
  await expect(page.locator('.toasts')).toContainText('Settings saved');
});

test('house styles: a pasted key is refused next to its field and never reaches the file', async ({ page }, testInfo) => {
  const demo = await start({ secretValues: { openai: 'sk-newsroom-0123456789abcdef' } });
  await openSettings(page);
  const sport = page.getByTestId('style-sport');
  await sport.locator('summary').click();
  await field(page, 'prompt.houseStyles.sport.negative').fill('team crests, sk-newsroom-0123456789abcdef');
  await expect(errorAt(page, 'prompt.houseStyles.sport.negative')).toContainText('paste it in Keys');
  await sport.evaluate((item) => item.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: testInfo.outputPath('settings-styles-1440.png') });
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-invalid')).toBeVisible();
  expect(existsSync(demo.configPath)).toBe(false);

  await field(page, 'prompt.houseStyles.sport.negative').fill('team crests, sponsor logos');
  await expect(sport.locator('.tag-changed')).toHaveText('changed');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toContainText('prompt.houseStyles');
  expect(fileOf(demo)).toEqual({
    prompt: {
      houseStyles: { sport: { illustration: expect.any(String), photo: expect.any(String), negative: 'team crests, sponsor logos' } },
    },
  });

  // the Keys panel is one click away
  await page.getByTestId('settings-keys').click();
  await expect(page.getByTestId('keys-panel')).toBeVisible();
  await expect(page.getByTestId('secret-openai')).toBeVisible();
});

test('AITable fields: the real field list as choices, did-you-mean, type mismatches; saved for a restart', async ({ page }, testInfo) => {
  fake = await startFakeFusionServer();
  const source = {
    type: 'aitable',
    baseUrl: fake.baseUrl,
    datasheetId: fake.datasheetId,
    tokenSecret: 'aitable',
    mapping: { headline: 'Headlin', breaking: 'Breaking' },
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
  };
  const demo = await start({ config: { source }, secretValues: { aitable: 'test-token' } });
  await openSettings(page);
  await page.getByRole('button', { name: 'AITable fields' }).click();
  await expect(page.getByTestId('field-check-status')).toContainText('14 fields read from the datasheet; 1 field needs attention');
  const headline = page.getByTestId('field-row-source.mapping.headline');
  await expect(headline).toHaveAttribute('data-status', 'missing');
  await expect(headline).toContainText('No field “Headlin” in the datasheet — did you mean “Headline”?');
  await expect(page.locator(`datalist#${'setting-source_mapping_headline-choices'} option[value="Headline"]`)).toHaveCount(1);
  await page.locator('#settings-source').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: testInfo.outputPath('settings-aitable-1440.png') });
  await expectNoAxeViolations(page);

  await page.getByTestId('use-suggestion-source.mapping.headline').click();
  await expect(field(page, 'source.mapping.headline')).toHaveValue('Headline');
  await expect(headline).toHaveAttribute('data-status', 'ok');

  await page.getByLabel('Write each story’s image status, address and score back to its AITable record').check();
  await field(page, 'source.writeBack.fields.score').fill('Alt text');
  const score = page.getByTestId('field-row-source.writeBack.fields.score');
  await expect(score).toHaveAttribute('data-status', 'wrong_type');
  await expect(score).toContainText('“Alt text” is a Text field; this needs Number or Rating');
  await expect(score.locator('.field-type')).toHaveText('Text');
  await score.evaluate((row) => row.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: testInfo.outputPath('settings-aitable-writeback-1440.png') });

  await field(page, 'source.writeBack.fields.score').fill('Score');
  await expect(score).toHaveAttribute('data-status', 'ok');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-restart-needed')).toContainText(
    'Restart Hero Desk to apply: source.mapping.headline, source.writeBack',
  );
  expect(fileOf(demo).source).toEqual({
    ...source,
    mapping: { headline: 'Headline', breaking: 'Breaking' },
    writeBack: { enabled: true, fields: { score: 'Score' } },
  });
  expect(readFileSync(demo.configPath, 'utf8')).not.toContain('test-token');
  // the screen now says what waits for the restart
  await page.getByTestId('settings-close').click();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings-pending-restart')).toContainText('source.mapping.headline');
});

test('a hand edit made while the screen is open is never overwritten unseen', async ({ page }) => {
  const demo = await start({ config: { site: 'Gazette' } });
  await openSettings(page);
  await field(page, 'tiers.breaking.dailyBudgetUsd').fill('4');

  // first time: the editor takes the file's version
  writeFileSync(demo.configPath, JSON.stringify({ site: 'Gazette', tiers: { regular: { minScore: 6 } } }, null, 2));
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-conflict')).toContainText('changed outside Hero Desk');
  await expect(field(page, 'tiers.breaking.dailyBudgetUsd')).toHaveValue('4'); // edits still here
  await page.getByTestId('conflict-take-file').click();
  await expect(field(page, 'tiers.regular.minScore')).toHaveValue('6');
  await expect(field(page, 'tiers.breaking.dailyBudgetUsd')).toHaveValue('');
  await expect(page.getByTestId('settings-file-ahead')).toBeVisible();

  // second time: the editor saves into the changed file, keeping the hand edit
  await field(page, 'tiers.breaking.dailyBudgetUsd').fill('4');
  writeFileSync(demo.configPath, JSON.stringify({ site: 'Gazette', tiers: { regular: { minScore: 6 } }, leaseSeconds: 45 }, null, 2));
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-conflict')).toBeVisible();
  expect(fileOf(demo)).toEqual({ site: 'Gazette', tiers: { regular: { minScore: 6 } }, leaseSeconds: 45 });
  await page.getByTestId('conflict-save-into').click();
  await expect(page.getByTestId('settings-saved')).toContainText('Restart Hero Desk to apply: leaseSeconds');
  expect(fileOf(demo)).toEqual({ site: 'Gazette', tiers: { regular: { minScore: 6 }, breaking: { dailyBudgetUsd: 4 } }, leaseSeconds: 45 });
});

test('while open, board shortcuts are off; closing with unsaved changes asks first', async ({ page }) => {
  const demo = await start();
  await page.goto(bridge!.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('card-rec000').click();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings')).toBeFocused();
  await page.keyboard.press('a');
  await page.keyboard.press('j');
  await field(page, 'tiers.regular.maxRegenerations').fill('3');
  await page.keyboard.press('Escape');
  await expect(page.getByText('Discard your unsaved changes?')).toBeVisible();
  await page.getByRole('button', { name: 'Keep editing' }).click();
  await expect(field(page, 'tiers.regular.maxRegenerations')).toHaveValue('3');
  await page.getByTestId('settings-close').click();
  await page.getByTestId('settings-discard').click();
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByTestId('open-settings')).toBeFocused();
  expect(demo.calls.filter((call) => call.name === 'approve')).toEqual([]);
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec000');
  expect(existsSync(demo.configPath)).toBe(false);
});
