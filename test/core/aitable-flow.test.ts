// The core pointed at the fake Fusion API: records become cards, states are written back to
// the record (status, final image URL and attachment), an edit after publication makes the
// card stale (until the new image reaches readers) and queues a new image, and the automation webhook triggers an immediate fetch.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card, Problem } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { stringContaining } from '../helpers/matchers.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const fakes: FakeFusion[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const fake of fakes.splice(0)) await fake.close();
  dirs.cleanup();
});

const WEBHOOK_SECRET = 'hook-secret-0123456789';

async function boot(fake: FakeFusion, webhook = false, pollIntervalMs = 500) {
  const dataDir = dirs.make();
  writeFileSync(
    join(dataDir, 'hero-desk.config.json'),
    JSON.stringify({
      source: {
        type: 'aitable',
        baseUrl: fake.baseUrl,
        datasheetId: fake.datasheetId,
        pollIntervalMs,
        mapping: { storyType: 'Story type' },
        writeBack: { enabled: true, flushDelayMs: 20, fields: { imageAttachment: 'Image', score: 'Score', altText: 'Alt text' } },
        webhook: { enabled: webhook, port: 0 },
        retry: { retries: 4, minTimeoutMs: 5, maxTimeoutMs: 40 },
      },
      publishRetry: { baseMs: 50, capMs: 500 },
    }),
  );
  const secrets: Record<string, string> = { aitable: 'test-token', 'aitable-webhook': WEBHOOK_SECRET };
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: (n) => secrets[n] },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return core;
}

async function card(core: RunningCore, id: string): Promise<Card | undefined> {
  const result = await core.dispatch('snapshot', {});
  return result.ok ? (result.value as { cards: Card[] }).cards.find((c) => c.articleId === id) : undefined;
}

describe('core with AITable', () => {
  it('writes each state back to the record and ends with the final image URL and attachment', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const recordId = fake.addRecord({
      Headline: 'Ferry strike called off',
      Summary: 'Crews accepted the offer overnight.',
      Section: 'Local',
    });
    const core = await boot(fake);
    await waitFor(async () => (await card(core, recordId))?.status === 'generated', 20_000, 'generated');
    await waitFor(() => fake.cellsOf(recordId)['Image status'] === 'Generated', 10_000, 'generated written back');
    expect(fake.cellsOf(recordId)['Score']).toBe((await card(core, recordId))?.score);

    await core.dispatch('approve', { articleId: recordId });
    await waitFor(() => fake.cellsOf(recordId)['Image status'] === 'Published', 20_000, 'published written back');
    const cells = fake.cellsOf(recordId);
    const url = cells['Image URL'] as { link?: string; text?: string } | string;
    const link = typeof url === 'string' ? url : (url.link ?? url.text);
    expect(link).toMatch(/\/media\/heroes\/.+hero\.webp$/);
    await waitFor(() => Array.isArray(fake.cellsOf(recordId)['Image']), 10_000, 'attachment');
    expect((fake.cellsOf(recordId)['Image'] as unknown[]).length).toBe(1);
    // write-back batches never exceed the API's 10-record cap
    for (const request of fake.requests.filter((r) => r.method === 'PATCH')) {
      expect(((request.body as { records: unknown[] }).records ?? []).length).toBeLessThanOrEqual(10);
    }
  });

  it('a token rejected on writes for 8 s while a story is published: the record still ends Published, with one attachment', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const recordId = fake.addRecord({ Headline: 'Harbour lights switched on', Summary: 'A winter tradition returns.', Section: 'Local' });
    const core = await boot(fake);
    await waitFor(() => fake.cellsOf(recordId)['Image status'] === 'Generated', 20_000, 'generated written back');
    const until = Date.now() + 8_000;
    fake.inject({ status: 401, times: Number.MAX_SAFE_INTEGER, match: (r) => r.method !== 'GET' && Date.now() < until });
    await core.dispatch('approve', { articleId: recordId });
    await waitFor(async () => (await card(core, recordId))?.status === 'published', 20_000, 'published');
    await waitFor(() => fake.cellsOf(recordId)['Image status'] === 'Published', 30_000, 'published written back after the 401');
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await waitFor(() => Array.isArray(fake.cellsOf(recordId)['Image']), 5_000, 'attachment');
    expect((fake.cellsOf(recordId)['Image'] as unknown[]).length).toBe(1);
    expect(fake.uploads.size).toBe(1);
  }, 60_000);

  it('AITable away for a few polls: one source problem opens, stays on the snapshot, and closes when it is back', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const core = await boot(fake);
    const problems = async () => {
      const result = await core.dispatch('snapshot', {});
      return result.ok ? (result.value as { problems: Problem[] }).problems : [];
    };
    const sourceOpen: boolean[] = [];
    core.onEvent((event) => event.type === 'problems' && sourceOpen.push(event.problems.some((p) => p.id === 'source')));
    const until = Date.now() + 4_000;
    fake.inject({ status: 503, times: Number.MAX_SAFE_INTEGER, match: (r) => r.method === 'GET' && Date.now() < until });
    await waitFor(async () => (await problems()).some((p) => p.id === 'source'), 10_000, 'the source problem');
    expect((await problems()).find((p) => p.id === 'source')).toMatchObject({
      area: 'source',
      level: 'warn',
      message: stringContaining('503'),
    });
    const recordId = fake.addRecord({ Headline: 'Storm warning lifted', Summary: '', Section: 'Local' });
    await waitFor(async () => (await card(core, recordId)) !== undefined, 20_000, 'the record read once AITable is back');
    await waitFor(async () => !(await problems()).some((p) => p.id === 'source'), 5_000, 'the problem closed');
    // opened once and closed once, however many polls failed in between
    const changes = sourceOpen.filter((open, i) => open !== (sourceOpen[i - 1] ?? false));
    expect(changes).toEqual([true, false]);
  }, 40_000);

  it('flags a published card stale when the story changes materially, makes a new image, and clears only once it is published', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const recordId = fake.addRecord({ Headline: 'Bridge closed for repairs', Summary: 'Works last two weeks.', Section: 'Local' });
    const core = await boot(fake);
    await waitFor(async () => (await card(core, recordId))?.status === 'generated', 20_000);
    await core.dispatch('approve', { articleId: recordId });
    await waitFor(async () => (await card(core, recordId))?.status === 'published', 20_000);
    const before = await card(core, recordId);

    fake.editRecord(recordId, { Headline: 'Bridge reopens early after repairs finish', Summary: 'Works took five days.' });
    await waitFor(async () => (await card(core, recordId))?.stale === true, 10_000, 'stale');
    await waitFor(
      async () => {
        const c = await card(core, recordId);
        return c?.status === 'generated' && c.image?.contentHash !== before?.image?.contentHash;
      },
      20_000,
      'new image',
    );
    const after = await card(core, recordId);
    expect(after?.headline).toBe('Bridge reopens early after repairs finish');
    // readers still have the image made for the old story: stale until the new one reaches them
    expect(after?.stale).toBe(true);
    await core.dispatch('approve', { articleId: recordId });
    await waitFor(async () => (await card(core, recordId))?.status === 'published', 20_000, 'the new image published');
    expect((await card(core, recordId))?.stale).toBe(false);
  }, 60_000);

  it('fetches a record at once when the automation webhook calls, and refuses a wrong secret', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    // polling every minute: only the webhook can bring the new record in within the test
    const core = await boot(fake, true, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the first (empty) poll finish
    const recordId = fake.addRecord({ Headline: 'Council meeting moved online', Summary: '', Section: 'Politics' });
    const webhookUrl = core.webhookUrl;
    expect(webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/aitable\/webhook$/);
    const wrong = await fetch(`${webhookUrl}`, {
      method: 'POST',
      headers: { 'x-hero-desk-secret': 'nope', 'content-type': 'application/json' },
      body: JSON.stringify({ recordId }),
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${webhookUrl}`, {
      method: 'POST',
      headers: { 'x-hero-desk-secret': WEBHOOK_SECRET, 'content-type': 'application/json' },
      body: JSON.stringify({ recordId }),
    });
    expect(ok.status).toBe(202);
    await waitFor(async () => (await card(core, recordId)) !== undefined, 10_000, 'webhook ingest');
  });
});
