// The whole product, end to end: the headless CLI with embedded defaults, a story appended to the
// demo datasheet, the editor reworking its prompt on the board, approving it, and the image arriving
// on an open reader page. Needs the built renderer (npm run build → out/renderer).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { cropRectangle } from '../../shared/crop.ts';

const root = resolve(import.meta.dirname, '../..');
const resultsDir = join(root, 'test-results');

interface Runtime {
  boardUrl: string;
  readerUrl: string;
  pid: number;
}

/** Plain-text logs for the failure attachment (Playwright sets FORCE_COLOR, which beats NO_COLOR). */
function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, NO_COLOR: '1' };
}

let dataDir: string;
let child: ChildProcess | null = null;
let output = '';

// a missing build is a failure, not a skip: a skipped e2e would let CI pass without the browser flow
test.beforeAll(() => {
  if (!existsSync(join(root, 'out/renderer/index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hd-e2e-'));
  output = '';
  child = spawn(
    process.execPath,
    ['electron/cli/index.ts', 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: plainEnv() },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
});

test.afterEach(async ({ context: _context }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('cli-output', { body: output, contentType: 'text/plain' });
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
  await rm(dataDir, { recursive: true, force: true });
});

async function waitForRuntime(): Promise<Runtime> {
  const path = join(dataDir, 'runtime.json');
  for (let i = 0; i < 600; i++) {
    if (child?.exitCode !== null) throw new Error(`hero-desk exited early (${child?.exitCode}):\n${output}`);
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Runtime;
    } catch {
      await sleep(100); // not written yet (or mid-write)
    }
  }
  throw new Error(`hero-desk did not write runtime.json within 60 s:\n${output}`);
}

/** Appends a record the way a newsroom tool would: write a temp file, then rename over the sheet. */
async function appendStory(fields: Record<string, unknown>): Promise<string> {
  const path = join(dataDir, 'demo-datasheet.json');
  const sheet = JSON.parse(await readFile(path, 'utf8')) as { records: unknown[] };
  const recordId = `recE2E${Date.now().toString(36)}`;
  sheet.records.push({ recordId, fields });
  await writeFile(`${path}.tmp`, JSON.stringify(sheet, null, 2));
  await rename(`${path}.tmp`, path);
  return recordId;
}

async function historyRows(page: Page): Promise<number> {
  return page.locator('.history tbody tr').count();
}

test('a new story goes from the datasheet to the reader page', async ({ page, context }, testInfo) => {
  test.setTimeout(300_000);
  const runtime = await waitForRuntime();
  expect(runtime.boardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(runtime.boardUrl);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const reader = await context.newPage();
  await reader.goto(runtime.readerUrl);

  const headline = `Night market returns to Dock Street ${Date.now().toString(36)}`;
  await appendStory({
    Headline: headline,
    Summary: 'Forty stalls, live music and a new lantern parade.',
    Section: 'Community',
    Breaking: false,
  });

  const card = page.locator('[data-testid^="card-"][data-status]', { hasText: headline });
  await expect(card).toHaveAttribute('data-status', 'generated', { timeout: 120_000 });
  const articleId = (await card.getAttribute('data-testid'))!.slice('card-'.length);
  await expect(card.getByTestId('card-image')).toHaveJSProperty('complete', true);
  // the real core gives it its tier's deadline (regular: 15 min), counting down
  await expect(card.getByTestId('due')).toHaveAttribute('data-due', 'due');
  await expect(card.getByTestId('due')).toContainText(/^due in 1[0-4]:\d\d$/);
  await page.screenshot({ path: join(resultsDir, 'board.png'), fullPage: true });
  await testInfo.attach('board', { path: join(resultsDir, 'board.png'), contentType: 'image/png' });

  // the editor rewrites the prompt, saves it and regenerates
  await card.click();
  const prompt = page.getByTestId('prompt-input');
  await expect(prompt).toBeVisible();
  await prompt.fill('Warm watercolour of lantern-lit market stalls by the harbour at dusk, no text, no faces');
  await page.getByTestId('save-prompt').click();
  await expect(page.getByText('edited by an editor')).toBeVisible();
  const rowsBefore = await historyRows(page);
  await page.getByTestId('regenerate').click();
  await expect
    .poll(
      async () => {
        // a new provider call in the history, and the card back in review
        return (await historyRows(page)) > rowsBefore && (await card.getAttribute('data-status')) === 'generated';
      },
      { timeout: 120_000, message: 'card regenerated' },
    )
    .toBe(true);
  await expect(prompt).toHaveValue('Warm watercolour of lantern-lit market stalls by the harbour at dusk, no text, no faces');

  // approve; the card is published and the reader page shows its image
  const published = page.getByTestId(`card-${articleId}`);
  await published.click();
  await page.getByTestId('approve').click();
  await expect(published).toHaveAttribute('data-status', 'published', { timeout: 60_000 });
  // readers get the published hero rendition of the approved image (card.image.publishedUrl)
  await expect(published).not.toHaveAttribute('data-published-url', '');
  const imageUrl = await published.getAttribute('data-published-url');
  const readerImage = reader.locator(`article[data-article-id="${articleId}"] img`);
  await expect(readerImage).toHaveAttribute('src', imageUrl!, { timeout: 30_000 });
  await expect(reader.locator(`article[data-article-id="${articleId}"]`)).toContainText(headline);

  // one R on the published story asks for a reason; nothing is pulled yet
  await published.click();
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', articleId);
  await page.keyboard.press('r');
  await expect(page.getByTestId('retract-reason')).toBeFocused();
  await page.waitForTimeout(500);
  await expect(published).toHaveAttribute('data-status', 'published');
  await expect(readerImage).toHaveAttribute('src', imageUrl!);
  await page.getByTestId('retract-reason').press('Escape');

  // the real core's snapshot and search: the story is found by its headline, and the URL keeps the view
  await page.getByTestId('search').fill('night market');
  await expect(page.locator('[data-testid^="card-"][data-status]')).toHaveCount(1);
  expect(new URL(page.url()).searchParams.get('q')).toBe('night market');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: join(resultsDir, 'board-search-1024.png') });
  await page.getByTestId('search').fill('');
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.keyboard.press('Escape'); // close the panel that auto-advanced, to show the whole board
  await page.screenshot({ path: join(resultsDir, 'board-published.png'), fullPage: true });
  await testInfo.attach('board-published', { path: join(resultsDir, 'board-published.png'), contentType: 'image/png' });
  await reader.screenshot({ path: testInfo.outputPath('reader.png') });
  await testInfo.attach('reader', { path: testInfo.outputPath('reader.png'), contentType: 'image/png' });

  // a clean shutdown on SIGTERM
  const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
});

/** Share of an image's pixels that are more red than blue. */
async function redShare(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if ((data[i] ?? 0) > (data[i + 2] ?? 0)) red++;
  return red / (info.width * info.height);
}

test("the drawer on the real core: candidates, the editor's photo, its focal point, undo, then readers get that crop", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(300_000);
  const runtime = await waitForRuntime();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(runtime.boardUrl);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const reader = await context.newPage();
  await reader.goto(runtime.readerUrl);

  // a regular story (breaking news would publish at once, with nothing to undo)
  const articleId = 'recDemo003';
  const card = page.getByTestId(`card-${articleId}`);
  await expect(card).toHaveAttribute('data-status', 'generated', { timeout: 120_000 });
  await card.click();
  const drawer = page.getByTestId('detail');
  await expect(drawer).toHaveAttribute('data-article-id', articleId);
  const candidates = drawer.getByTestId('candidates').locator('.candidate');
  await expect(candidates).toHaveCount(1);

  // a second candidate, then back to the first
  const firstUrl = await card.getAttribute('data-image-url');
  await page.keyboard.press('g');
  await expect(candidates).toHaveCount(2, { timeout: 120_000 });
  await expect(card).toHaveAttribute('data-status', 'generated', { timeout: 60_000 });
  await expect(card).not.toHaveAttribute('data-image-url', firstUrl!);
  await drawer.locator('.candidate[data-current="false"] .btn.choose').click();
  await expect(card).toHaveAttribute('data-image-url', firstUrl!);
  // the same prompt twice: one entry in the history, with both attempts
  await expect(drawer.getByTestId('prompt-history').locator('li')).toHaveCount(1);
  await expect(drawer.getByTestId('prompt-use-0')).toContainText('Attempts 1, 2');

  // the editor's photo: left half red, right half blue, 3:1
  const half = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#0030e0' } })
    .png()
    .toBuffer();
  const photo = await sharp({ create: { width: 2400, height: 800, channels: 3, background: '#e00000' } })
    .composite([{ input: half, left: 1200, top: 0 }])
    .jpeg()
    .toBuffer();
  await drawer.getByTestId('photo-credit').fill('Jane Doe');
  await drawer.getByTestId('photo-input').setInputFiles({ name: 'quay.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(candidates).toHaveCount(3, { timeout: 30_000 });
  await expect(drawer.locator('.candidate[data-current="true"]')).toContainText('Your photo');
  await expect(drawer.getByTestId('credit-line')).toHaveText('Photo: Jane Doe');

  // focal point to the left edge with the keyboard; the hero crop follows
  const handle = drawer.getByTestId('focal-handle');
  await handle.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  await expect(drawer.getByTestId('focal-status')).toHaveText('Every crop centres on your focal point.', { timeout: 10_000 });
  const hero = cropRectangle(2400, 800, 1600, 900, { x: 0, y: 0.5 });
  await expect(drawer.getByTestId('crop-hero')).toHaveAttribute('data-crop', `${hero.left},${hero.top},${hero.width},${hero.height}`);
  await drawer.getByTestId('section-crops').evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(resultsDir, 'drawer-real-core.png') });
  await testInfo.attach('drawer-real-core', { path: join(resultsDir, 'drawer-real-core.png'), contentType: 'image/png' });

  // approve, undo from the card during the countdown: back in review
  await drawer.getByTestId('approve').click();
  await expect(card.getByTestId('card-undo')).toContainText(/Publishing in \d s/);
  await page.keyboard.press('Escape'); // the drawer (moved on to the next story) may cover the Approved column
  await card.getByTestId('card-undo-button').click();
  await expect(card).toHaveAttribute('data-status', 'generated');
  await page.waitForTimeout(6_000); // past the 5 s window: nothing went out
  await expect(card).toHaveAttribute('data-status', 'generated');
  await expect(reader.locator(`article[data-article-id="${articleId}"]`)).toHaveCount(0);

  // approved again and left alone: readers get the photo's crop around the focal point (mostly red)
  await page.getByTestId('detail').getByTestId('approve').click();
  await expect(card).toHaveAttribute('data-status', 'published', { timeout: 60_000 });
  const publishedUrl = await card.getAttribute('data-published-url');
  await expect(reader.locator(`article[data-article-id="${articleId}"] img`)).toHaveAttribute('src', publishedUrl!, { timeout: 30_000 });
  const published = Buffer.from(await (await fetch(publishedUrl!)).arrayBuffer());
  expect(await redShare(published)).toBeGreaterThan(0.8);
});
