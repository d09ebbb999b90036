// Settings through the real CLI: saved from the screen, in effect at once on the running core
// (the next image of a story shows it), and still there after a restart; a config file edited by
// hand meanwhile is kept. Needs the built renderer (npm run build → out/renderer).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test, type Page } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
let dataDir: string;
let child: ChildProcess | null = null;
let output = '';

test.beforeAll(() => {
  if (!existsSync(join(root, 'out/renderer/index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hd-e2e-settings-'));
  output = '';
});

test.afterEach(async ({ context: _context }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('cli-output', { body: output, contentType: 'text/plain' });
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
  await rm(dataDir, { recursive: true, force: true });
});

function startCli(): void {
  const { FORCE_COLOR: _force, ...env } = process.env;
  child = spawn(
    process.execPath,
    ['electron/cli/index.ts', 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, NO_COLOR: '1' },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
}

async function boardUrl(): Promise<string> {
  for (let i = 0; i < 600; i++) {
    if (child?.exitCode !== null) throw new Error(`hero-desk exited early (${child?.exitCode}):\n${output}`);
    try {
      return (JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8')) as { boardUrl: string }).boardUrl;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`hero-desk did not start within 60 s:\n${output}`);
}

async function stopCli(): Promise<void> {
  const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
  child!.kill('SIGINT');
  expect(await exited).toBe(0);
  child = null;
}

async function openSettings(page: Page) {
  await page.goto(await boardUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings-path')).toContainText(join(dataDir, 'hero-desk.config.json'));
}

const field = (page: Page, path: string) => page.locator(`[data-path="${path}"]`);
const configFile = () => join(dataDir, 'hero-desk.config.json');

test('saved from the screen, applied to the next image at once, and still there after a restart', async ({ page }, testInfo) => {
  startCli();
  await openSettings(page);
  await expect(page.getByTestId('settings-path')).toContainText('created on the first save');

  // culture's house style, and a regular minimum score no title card reaches
  await page.getByTestId('style-culture').locator('summary').click();
  await field(page, 'prompt.houseStyles.culture.illustration').fill('cut-paper collage in teal and orange');
  await field(page, 'tiers.regular.minScore').fill('9.5');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toContainText('In effect now: tiers.regular.minScore, prompt.houseStyles');
  await expect(page.getByTestId('settings-state')).toHaveText('Saved: 2 in effect now');
  await page.screenshot({ path: testInfo.outputPath('settings-saved-1440.png') });
  expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({
    tiers: { regular: { minScore: 9.5 } },
    prompt: {
      houseStyles: {
        culture: {
          illustration: 'cut-paper collage in teal and orange',
          photo: 'atmospheric arts photography, stage lighting, audience from behind',
          negative: 'copies of famous artworks, celebrity likeness, posters with text',
        },
      },
    },
  });

  // the running core uses it for the next image: the Culture story's prompt shows the new style
  await page.getByTestId('settings-close').click();
  const culture = page.getByTestId('card-recDemo003');
  await expect(culture).toHaveAttribute('data-status', 'generated', { timeout: 30_000 });
  await culture.click();
  await page.getByTestId('regenerate').click();
  await expect(page.getByTestId('detail')).toContainText('cut-paper collage in teal and orange', { timeout: 30_000 });
  await expect(culture).toHaveAttribute('data-status', 'generated', { timeout: 30_000 });

  // restart: the screen shows what was saved, and nothing waits for a restart
  await stopCli();
  startCli();
  await openSettings(page);
  await expect(field(page, 'tiers.regular.minScore')).toHaveValue('9.5');
  await page.getByTestId('style-culture').locator('summary').click();
  await expect(field(page, 'prompt.houseStyles.culture.illustration')).toHaveValue('cut-paper collage in teal and orange');
  await expect(page.getByTestId('settings-pending-restart')).toHaveCount(0);
  await expect(page.getByTestId('settings-file-ahead')).toHaveCount(0);
});

test('a hand edit while the screen is open is detected; saving into it keeps both, and a restart-only change says so', async ({ page }) => {
  await writeFile(configFile(), `${JSON.stringify({ site: 'Harbour Gazette' }, null, 4)}\n`);
  startCli();
  await openSettings(page);
  await field(page, 'tiers.breaking.dailyBudgetUsd').fill('3');
  // an admin edits the file by hand meanwhile
  await writeFile(configFile(), `${JSON.stringify({ site: 'Harbour Gazette', leaseSeconds: 40 }, null, 4)}\n`);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-conflict')).toContainText('changed outside Hero Desk');
  expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({ site: 'Harbour Gazette', leaseSeconds: 40 });

  await page.getByTestId('conflict-save-into').click();
  await expect(page.getByTestId('settings-saved')).toContainText('In effect now: tiers.breaking.dailyBudgetUsd.');
  await expect(page.getByTestId('settings-restart-needed')).toContainText('leaseSeconds');
  const text = await readFile(configFile(), 'utf8');
  expect(JSON.parse(text)).toEqual({ site: 'Harbour Gazette', leaseSeconds: 40, tiers: { breaking: { dailyBudgetUsd: 3 } } });
  expect(text).toMatch(/^\{\n {4}"site"/); // the file's own indentation

  // the waiting change is an open problem on the board until the restart
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('problems')).toHaveAttribute('data-count', '1');
  await page.getByTestId('problems').click();
  await expect(page.getByTestId('problems-panel')).toContainText('Saved settings wait for a restart: leaseSeconds');
  await stopCli();
  startCli();
  await openSettings(page);
  await expect(field(page, 'tiers.breaking.dailyBudgetUsd')).toHaveValue('3');
  await expect(page.getByTestId('settings-pending-restart')).toHaveCount(0);
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('problems')).toHaveAttribute('data-count', '0');
});
