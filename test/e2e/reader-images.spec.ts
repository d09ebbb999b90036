// The demo reader page in Chromium picks the image size and format from the variants the
// publication carries: AVIF where the browser takes it, WebP otherwise, the 480 px thumbnail on
// narrow screens and the 1600 px hero on wide ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startRelay, type RelayHandle } from '../../electron/core/relay/relay-server.ts';

const SECRET = 'e2e-secret-0123456789abcdef';
let dir: string;
let relay: RelayHandle;

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hd-e2e-images-'));
  relay = await startRelay({ publishSecret: SECRET, dataFile: join(dir, 'relay.sqlite'), port: 0 });
});

test.afterEach(async () => {
  await relay.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the reader page offers the hero and thumbnail variants in srcset, AVIF first', async ({ page }) => {
  await page.goto(`${relay.url}/reader`);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live');
  const base = 'https://img.example/heroes';
  const variants = {
    'hero.webp': `${base}/a/hero.webp`,
    'hero.avif': `${base}/b/hero.avif`,
    'hero.jpeg': `${base}/c/hero.jpg`,
    'thumb.webp': `${base}/d/thumb.webp`,
    'thumb.jpeg': `${base}/e/thumb.jpg`,
    'og.webp': `${base}/f/og.webp`,
  };
  const response = await fetch(`${relay.url}/publish`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      kind: 'publish',
      articleId: 'recImg1',
      version: 1,
      idempotencyKey: 'recImg1:v1:publish',
      headline: 'Tide tables change',
      summary: '',
      section: 'Local',
      imageUrl: variants['hero.webp'],
      variants,
      altText: 'The harbour at low tide',
      credit: 'Hero Desk',
      publishedAt: Date.now(),
    }),
  });
  expect(response.status).toBe(200);
  const article = page.locator('article[data-article-id="recImg1"]');
  const img = article.locator('picture img');
  await expect(img).toHaveAttribute('srcset', `${base}/d/thumb.webp 480w, ${base}/a/hero.webp 1600w`);
  await expect(img).toHaveAttribute('sizes', /100vw/);
  await expect(article.locator('picture source[type="image/avif"]')).toHaveAttribute('srcset', `${base}/b/hero.avif 1600w`);
  await expect(img).toHaveAttribute('alt', 'The harbour at low tide');
});
