// Staleness on the real core: an edit that lands while the image is on its way to readers does not
// slip by silently — once that publication lands, a new image is made for the rewritten story and a
// notice says so — and the card stays stale until the new image reaches readers, not merely when it
// is made.
import { writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { call, cardOf, waitForStatus } from '../drawer/harness.ts';

const dirs = tempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});

/** A site's webhook endpoint that holds the first delivery until released, and takes the rest at once. */
async function holdingReceiver() {
  let held: ServerResponse | null = null;
  let deliveries = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries++;
      if (deliveries === 1) held = res;
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hero`,
    holding: () => held !== null,
    release: () => held?.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  };
}

const sheet = (headline: string, summary: string) =>
  JSON.stringify({ records: [{ recordId: 'recEdit1', fields: { Headline: headline, Summary: summary, Section: 'Local' } }] });

describe('stale images', () => {
  it('an edit while publishing: the publication lands, then a new image is made and the card stays stale until it is live', async () => {
    const receiver = await holdingReceiver();
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'demo-datasheet.json'), sheet('Ferry service suspended', 'High winds keep the ferry in port.'));
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        pollIntervalMs: 200,
        approveUndoSeconds: 0,
        publisher: { type: 'webhook', url: receiver.url },
        publishRetry: { baseMs: 50, capMs: 200 },
      }),
    );
    const core: RunningCore = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: (n) => (n === 'webhookSigningSecret' ? 'signing-secret-123' : undefined) },
      logger: silentLogger(),
      mediaPort: 0,
    });
    cleanups.push(() => core.stop());
    const notices: string[] = [];
    core.onEvent((event: HeroEvent) => {
      if (event.type === 'notice') notices.push(event.message);
    });

    const first = await waitForStatus(core, 'recEdit1', 'generated');
    await call(core, 'approve', { articleId: 'recEdit1' });
    await waitFor(() => receiver.holding(), 20_000, 'the publication on its way');
    expect((await cardOf(core, 'recEdit1'))?.status).toBe('publishing');

    // the desk rewrites the story while its image is with the site
    writeFileSync(
      join(dataDir, 'demo-datasheet.json'),
      sheet('Ferry service resumes after storm', 'Crossings restart at noon with extra sailings.'),
    );
    await waitFor(async () => (await cardOf(core, 'recEdit1'))?.headline === 'Ferry service resumes after storm', 10_000, 'the edit read');
    receiver.release();

    // the old image reached readers; a new one is made for the new story and waits for review
    const regenerated = await waitFor(
      async () => {
        const card = await cardOf(core, 'recEdit1');
        return card?.status === 'generated' && card.image?.contentHash !== first.image?.contentHash ? card : undefined;
      },
      30_000,
      'a new image for the rewritten story',
    );
    expect(notices.some((message) => message.includes('changed while its image was being published'))).toBe(true);
    expect(regenerated.stale).toBe(true); // readers still have the image made for the old story

    await call(core, 'approve', { articleId: 'recEdit1' });
    await waitForStatus(core, 'recEdit1', 'published', 20_000);
    expect((await cardOf(core, 'recEdit1'))?.stale).toBe(false);
  }, 90_000);
});
