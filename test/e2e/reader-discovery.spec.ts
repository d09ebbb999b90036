// The demo reader page in Chromium, served by the board bridge, while the bundled relay restarts on
// another port (same data file): the open page asks its own origin (/relay.json) where the relay
// went, reconnects there from its last position and shows the next publication, nothing twice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import pino from 'pino';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { startRelay, type RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

const SECRET = 'e2e-secret-0123456789abcdef';
let dir: string;
let relay: RelayHandle | null = null;
let core: DemoCore;
let bridge: HttpBridge;

async function publish(articleId: string, headline: string): Promise<void> {
  const response = await fetch(`${relay!.url}/publish`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      kind: 'publish',
      articleId,
      version: 1,
      idempotencyKey: `${articleId}:v1:publish`,
      headline,
      summary: 'A summary.',
      section: 'Local',
      imageUrl: null,
      altText: '',
      credit: 'Hero Desk',
      publishedAt: Date.now(),
    }),
  });
  expect(response.status).toBe(200);
}

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hd-e2e-discovery-'));
  relay = await startRelay({
    publishSecret: SECRET,
    dataFile: join(dir, 'relay.sqlite'),
    allowLoopbackOrigins: true,
    allowedOrigins: ['https://news.example'],
  });
  core = await createDemoCore();
  bridge = await startHttpBridge({ core, rendererDir: dir, logger: pino({ level: 'silent' }), relayWsUrl: () => relay?.wsUrl ?? null });
});

test.afterEach(async () => {
  await bridge.stop();
  await core.close();
  await relay?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('an open reader page follows the relay to its new port and receives the next publication', async ({ page }) => {
  test.setTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${bridge.port}/reader`);
  const status = page.locator('#status');
  await expect(status).toHaveAttribute('data-status', 'live');
  await publish('before', 'Harbour festival opens on Saturday');
  await expect(page.locator('article[data-article-id="before"]')).toContainText('Harbour festival');

  const oldPort = relay!.port;
  await relay!.stop();
  relay = null;
  await expect(status).toHaveAttribute('data-status', 'offline');
  relay = await startRelay({
    publishSecret: SECRET,
    dataFile: join(dir, 'relay.sqlite'),
    allowLoopbackOrigins: true,
    allowedOrigins: ['https://news.example'],
  });
  expect(relay.port).not.toBe(oldPort);
  await publish('after', 'Ferry timetable changes next week');

  await expect(page.locator('article[data-article-id="after"]')).toContainText('Ferry timetable', { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-status', 'live');
  await expect(page.locator('article[data-article-id="before"]')).toHaveCount(1);
  await expect(page.locator('article')).toHaveCount(2);
  expect(errors).toEqual([]);
});
