// Queue control on the board (issue 11, item 7): the header says Running or Paused (all, or which
// lanes) and pauses or resumes everything or one lane; every open board sees it; the drawer moves a
// waiting story to the front of its lane. Once through the demo core, once through the real command
// side over a real SQLite store (where a pause is kept and "Move up" reorders the jobs table).
// Needs the built renderer (npm run build → out/renderer).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { registerQueueProcess } from '../../electron/core/store/queue-processes.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? resolve(import.meta.dirname, '../../out/renderer');
const logger = pino({ level: 'silent' });
let bridge: HttpBridge | null = null;
let demo: DemoCore | null = null;
let real: { board: BoardCore; dir: string } | null = null;

test.beforeAll(() => {
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.afterEach(async () => {
  await bridge?.stop();
  await demo?.close();
  if (real) {
    real.board.close();
    rmSync(real.dir, { recursive: true, force: true });
  }
  [bridge, demo, real] = [null, null, null];
});

async function openBoard(page: Page) {
  await page.goto(bridge!.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
}

const queueButton = (page: Page) => page.getByTestId('queue');

test('the header pauses and resumes one lane or everything, and every board sees it', async ({ page, context }) => {
  demo = await createDemoCore();
  bridge = await startHttpBridge({ core: demo, rendererDir, logger });
  await openBoard(page);
  const other = await context.newPage();
  await openBoard(other);

  await expect(queueButton(page)).toHaveText(/Running/);
  await expect(queueButton(page)).toHaveAttribute('data-state', 'running');
  await queueButton(page).click();
  const panel = page.getByTestId('queue-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('queue-lane-regular')).toContainText('2 waiting'); // the two queued regular stories
  await expect(panel.getByTestId('queue-lane-regular')).toContainText('1 running');

  await panel.getByTestId('queue-toggle-breaking').click();
  await expect(queueButton(page)).toHaveText(/Paused: Breaking/);
  await expect(queueButton(page)).toHaveAccessibleName('Queue: Paused: Breaking');
  await expect(panel.getByTestId('queue-lane-breaking')).toHaveAttribute('data-paused', 'true');
  await expect(panel.getByTestId('queue-toggle-breaking')).toHaveText('Resume Breaking');
  expect(demo.calls.filter((c) => c.name === 'pause').map((c) => c.input)).toEqual([{ lane: 'breaking' }]);
  await expect(queueButton(other)).toHaveText(/Paused: Breaking/); // pushed to the other board too

  await panel.getByTestId('queue-toggle-publish').click();
  await expect(queueButton(page)).toHaveText(/Paused: Breaking, Publishing/);
  await panel.getByTestId('queue-toggle-all').click(); // "Resume everything"
  await expect(queueButton(page)).toHaveText(/Running/);
  await expect(queueButton(other)).toHaveText(/Running/);

  await panel.getByTestId('queue-toggle-all').click(); // "Pause everything"
  await expect(queueButton(page)).toHaveAccessibleName('Queue: Paused');
  await expect(panel.getByTestId('queue-toggle-regular')).toBeDisabled(); // one lane cannot resume alone
  await expect(panel.getByTestId('queue-toggle-all')).toHaveText('Resume everything');
  expect(demo.calls.filter((c) => c.name === 'pause').at(-1)!.input).toEqual({});
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(queueButton(page)).toBeFocused();

  // a board opened later starts from the snapshot's queue
  const late = await context.newPage();
  await openBoard(late);
  await expect(queueButton(late)).toHaveText(/Paused/);
});

test('"Move up" in the drawer puts a waiting story first; other stories offer no such button', async ({ page }) => {
  demo = await createDemoCore();
  bridge = await startHttpBridge({ core: demo, rendererDir, logger });
  await openBoard(page);
  await page.getByTestId('card-rec005').click(); // pending: waiting in the regular lane
  await expect(page.getByTestId('queue-position')).toContainText('Waiting in the Regular queue (2 waiting)');
  await page.getByTestId('move-up').click();
  await expect(page.locator('.toast')).toContainText('Moved to the front of its queue');
  expect(demo.prioritised).toEqual(['rec005']);
  await page.getByTestId('card-rec001').click(); // awaiting review: nothing waits in a queue
  await expect(page.getByTestId('detail')).toHaveAttribute('data-article-id', 'rec001');
  await expect(page.getByTestId('move-up')).toHaveCount(0);
  // once its job has started there is nothing left to move up
  demo.update('rec004', { status: 'generating' });
  await page.getByTestId('card-rec004').click();
  await expect(page.getByTestId('move-up')).toHaveCount(0);
});

test('through the real core: a pause is kept in the store and "Move up" reorders the waiting jobs', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-queue-'));
  const board = createBoardCore(dir);
  real = { board, dir };
  board.addStory({ id: 'first', status: 'pending', headline: 'First in the regular lane' });
  board.addStory({ id: 'second', status: 'pending', headline: 'Second in the regular lane' });
  board.addStory({ id: 'review', status: 'generated', headline: 'Ready for review' });
  bridge = await startHttpBridge({ core: board.core, rendererDir, logger });
  await openBoard(page);

  await queueButton(page).click();
  await page.getByTestId('queue-toggle-regular').click();
  await expect(queueButton(page)).toHaveText(/Paused: Regular/);
  const state = await board.core.dispatch('queueState', {});
  expect(state.ok && state.value).toMatchObject({ pausedAll: false, pausedBy: 'editor' });
  expect(state.ok && (state.value as { lanes: { name: string; paused: boolean }[] }).lanes.find((l) => l.name === 'regular')?.paused).toBe(
    true,
  );
  await page.reload();
  await expect(queueButton(page)).toHaveText(/Paused: Regular/); // kept, not a browser-side flag

  await page.getByTestId('card-second').click();
  await expect(page.getByTestId('queue-position')).toContainText('Waiting in the Regular queue (2 waiting, paused)');
  await page.getByTestId('move-up').click();
  await expect(page.locator('.toast')).toContainText('Moved to the front of its queue');
  const order = board.store.db.all<{ article_id: string }>(
    "SELECT article_id FROM jobs WHERE status = 'queued' AND lane = 'regular' ORDER BY priority DESC, id",
  );
  expect(order.map((row) => row.article_id)).toEqual(['second', 'first']);
});

test('the queue panel says who works the queue, and which lane nothing takes; a worker joining shows at once', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-e2e-workers-'));
  const board = createBoardCore(dir);
  real = { board, dir };
  // a desk that only publishes, as `hero-desk start --lanes publish`
  registerQueueProcess(board.store, `${hostname()}:${process.pid}:desk`, 'desk', ['publish']);
  bridge = await startHttpBridge({ core: board.core, rendererDir, logger });
  await openBoard(page);
  await queueButton(page).click();
  const workedBy = page.getByTestId('queue-processes');
  await expect(workedBy).toContainText('Worked by the desk');
  await expect(workedBy.getByTestId('queue-process-desk')).toContainText('Desk · Publishing');
  await expect(workedBy).toContainText('Nothing takes Breaking, Regular, Default: start hero-desk worker');

  // `hero-desk worker` starts on the same file: the open panel hears of it (the store's queue event)
  registerQueueProcess(board.store, `${hostname()}:${process.pid}:worker`, 'worker', ['breaking', 'regular', 'default']);
  await expect(workedBy).toContainText('Worked by the desk and 1 worker');
  await expect(workedBy.getByTestId('queue-process-worker')).toContainText('Worker · Breaking, Regular, Default');
  await expect(workedBy).not.toContainText('Nothing takes');
  await page.screenshot({ path: 'test-results/screenshots/queue-worked-by.png' });
});
