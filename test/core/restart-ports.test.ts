// Hero Desk restarted on other ports, with work in flight: stored images still load (the store
// keeps keys, URLs are made from the current address), a publication that was pending finishes,
// and readers get the published story again with the new addresses.
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { Store } from '../../electron/core/store/store.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { readerFrame } from '../helpers/frames.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

async function boot(dataDir: string, mediaPort: number, relayPort: number): Promise<RunningCore> {
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort,
    relayPort,
  });
  cores.push(core);
  return core;
}

async function snapshotCards(core: RunningCore): Promise<Card[]> {
  const result = await core.dispatch('snapshot', {});
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { cards: Card[] }).cards;
}

const byId = async (core: RunningCore, id: string) => (await snapshotCards(core)).find((c) => c.articleId === id);

function readFrames(core: RunningCore): { articleId: string; version: number; imageUrl: string | null }[] {
  const frames: { articleId: string; version: number; imageUrl: string | null }[] = [];
  const reader = new WebSocket(`${core.readerUrl!.replace(/^http/, 'ws').replace(/\/reader$/, '')}/ws`);
  sockets.push(reader);
  reader.on('message', (data) => {
    const frame = readerFrame(data);
    if (frame.type === 'article' && frame.message) frames.push(frame.message);
  });
  return frames;
}

describe('restart on new ports', () => {
  it('old images load from the new address, a pending publication finishes, and readers get new addresses', async () => {
    const dataDir = dirs.make();
    const [mediaA, relayA, mediaB, relayB] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const first = await boot(dataDir, mediaA, relayA);
    await waitFor(async () => (await snapshotCards(first)).filter((c) => c.status === 'generated').length === 12, 30_000, '12 cards');
    await first.dispatch('approve', { articleId: 'recDemo001' });
    await waitFor(async () => (await byId(first, 'recDemo001'))?.status === 'published', 15_000, 'first publication');
    // approve and stop at once: the publication is still pending when the process goes away
    await first.dispatch('approve', { articleId: 'recDemo002' });
    await first.stop();
    cores.splice(cores.indexOf(first), 1);
    const store = new Store(join(dataDir, 'hero-desk.db'));
    const pending = store.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM publications WHERE article_id = 'recDemo002' AND status = 'pending'",
    )?.n;
    const storedUrls = store.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM images WHERE storage_key LIKE 'http%' OR variants LIKE '%http%'",
    )?.n;
    store.close();
    expect(Number(pending)).toBe(1);
    expect(Number(storedUrls)).toBe(0); // keys only: nothing stored carries a port

    const second = await boot(dataDir, mediaB, relayB);
    const frames = readFrames(second);
    for (const c of await snapshotCards(second)) {
      expect(c.image?.url.startsWith(`http://127.0.0.1:${mediaB}/`)).toBe(true);
      expect(c.image?.thumbUrl.startsWith(`http://127.0.0.1:${mediaB}/`)).toBe(true);
    }
    const old = await byId(second, 'recDemo001');
    expect((await fetch(old!.image!.url)).status).toBe(200);
    expect((await fetch(old!.image!.thumbUrl)).status).toBe(200);

    await waitFor(async () => (await byId(second, 'recDemo002'))?.status === 'published', 20_000, 'the pending publication');
    // the story published before the move goes out again, as version 2, with the new address
    await waitFor(() => frames.some((f) => f.articleId === 'recDemo001' && f.version === 2), 15_000, 'the republished story');
    await waitFor(() => frames.some((f) => f.articleId === 'recDemo002'), 5_000, 'the pending story on the reader');
    for (const frame of frames.filter((f) => f.articleId === 'recDemo001' || f.articleId === 'recDemo002')) {
      if (frame.articleId === 'recDemo001' && frame.version === 1) continue; // from the relay's history, if it keeps one
      expect(frame.imageUrl?.startsWith(`http://127.0.0.1:${mediaB}/`)).toBe(true);
      expect((await fetch(frame.imageUrl!)).status).toBe(200);
    }
    expect((await byId(second, 'recDemo001'))?.image?.publishedUrl?.startsWith(`http://127.0.0.1:${mediaB}/`)).toBe(true);
  }, 90_000);
});
