import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRelay } from '../../electron/core/relay/relay-server.ts';
import type { RelayConfig, RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { SECRET, connectReader, health, publication, publish, until } from './helpers.ts';
import type { RecordingReader } from './helpers.ts';

let relay: RelayHandle | null = null;
const readers: RecordingReader[] = [];

async function start(config: Partial<RelayConfig> = {}): Promise<RelayHandle> {
  relay = await startRelay({ publishSecret: SECRET, ...config });
  return relay;
}

async function reader(query = '', options = {}): Promise<RecordingReader> {
  const r = await connectReader((relay as RelayHandle).wsUrl, query, options);
  readers.push(r);
  return r;
}

afterEach(async () => {
  for (const r of readers.splice(0)) r.ws.terminate();
  await relay?.stop();
  relay = null;
});

describe('relay publish endpoint', () => {
  it('rejects a missing or wrong secret with 401 and broadcasts nothing', async () => {
    const { url } = await start();
    const r = await reader();
    expect((await publish(url, publication(), 'wrong-secret')).status).toBe(401);
    const noAuth = await fetch(`${url}/publish`, { method: 'POST', body: JSON.stringify(publication()) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Bearer');
    expect((await health(url)).seq).toBe(0);
    expect(r.articles()).toEqual([]);
  });

  it('validates the body', async () => {
    const { url } = await start();
    const bad = await publish(url, { ...publication(), imageUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.issues)).toMatch(/imageUrl/);
    const notJson = await fetch(`${url}/publish`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const huge = await publish(url, { ...publication(), summary: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
  });
});

describe('relay readers', () => {
  it('broadcasts a publication to every reader with a monotonic seq', async () => {
    const { url } = await start();
    const a = await reader();
    const b = await reader();
    const first = publication();
    const second = publication();
    expect((await publish(url, first)).body).toMatchObject({ ok: true, seq: 1, duplicate: false });
    expect((await publish(url, second)).body).toMatchObject({ seq: 2 });
    for (const r of [a, b]) {
      await r.waitFor((f) => f.filter((x) => x.type === 'article').length === 2);
      expect(r.frames[0]).toMatchObject({ type: 'hello', seq: 0, gap: false });
      expect(r.articles().map((f) => [f.seq, f.message?.articleId])).toEqual([
        [1, first.articleId],
        [2, second.articleId],
      ]);
      expect(r.articles()[0]?.message).toEqual(first);
    }
  });

  it('dedupes by idempotency key: a repeat is acknowledged, not re-broadcast', async () => {
    const { url } = await start();
    const r = await reader();
    const message = publication();
    await publish(url, message);
    expect((await publish(url, message)).body).toMatchObject({ ok: true, duplicate: true, seq: 1 });
    const marker = publication();
    await publish(url, marker);
    await r.waitFor((f) => f.some((x) => x.message?.articleId === marker.articleId));
    expect(r.articles().map((f) => f.seq)).toEqual([1, 2]);
  });

  it('lets a reader catch up with since= after a disconnect', async () => {
    const { url } = await start();
    const r = await reader();
    await publish(url, publication());
    await r.waitFor((f) => f.some((x) => x.seq === 1));
    r.ws.close();
    await r.closed;
    const missed = [publication(), publication()];
    for (const m of missed) await publish(url, m);
    const back = await reader(`?since=1&epoch=${r.frames[0]?.epoch ?? ''}`);
    await back.waitFor((f) => f.filter((x) => x.type === 'article').length === 2);
    expect(back.articles().map((f) => f.message?.articleId)).toEqual(missed.map((m) => m.articleId));
    expect(back.frames[0]).toMatchObject({ type: 'hello', seq: 3, gap: false });
  });

  it('replays everything after a relay restart (unknown epoch) and reports the gap', async () => {
    const { url } = await start();
    await publish(url, publication());
    const r = await reader('?since=57&epoch=deadbeef');
    await r.waitFor((f) => f.some((x) => x.type === 'article'));
    expect(r.frames[0]).toMatchObject({ type: 'hello', gap: true });
    expect(r.articles().map((f) => f.seq)).toEqual([1]);
  });

  it('gives a new reader the current published set: the newest message per article, retracted ones left out', async () => {
    const { url } = await start();
    const kept = publication({ articleId: 'kept' });
    await publish(url, publication({ articleId: 'gone', version: 1 }));
    await publish(url, kept);
    await publish(url, publication({ articleId: 'gone', version: 2, kind: 'retract', imageUrl: null }));
    const live = await reader();
    await publish(url, publication({ articleId: 'kept', version: 2 }));
    const fresh = await reader();
    await live.waitFor((f) => f.some((x) => x.message?.articleId === 'kept' && x.message.version === 2));
    expect(live.articles().map((f) => [f.message?.articleId, f.message?.kind, f.message?.version])).toEqual([
      ['kept', 'publish', 1],
      ['kept', 'publish', 2],
    ]);
    await fresh.waitFor((f) => f.some((x) => x.type === 'article'));
    expect(fresh.articles().map((f) => [f.message?.articleId, f.message?.version, f.seq])).toEqual([['kept', 2, 4]]);
    expect(fresh.frames[0]).toMatchObject({ seq: 4, oldestSeq: 1, gap: false });
  });

  it('tells a returning reader of retractions, and of a gap when the article limit dropped what it missed', async () => {
    const { url } = await start({ historyLimit: 3 });
    await publish(url, publication({ articleId: 'a', version: 1 }));
    await publish(url, publication({ articleId: 'b', version: 1 }));
    const epoch = String((await health(url)).epoch);
    await publish(url, publication({ articleId: 'a', version: 2, kind: 'retract', imageUrl: null }));
    const back = await reader(`?since=2&epoch=${epoch}`);
    await back.waitFor((f) => f.some((x) => x.type === 'article'));
    expect(back.articles().map((f) => [f.message?.articleId, f.message?.kind])).toEqual([['a', 'retract']]);
    // two more articles: four kept would pass the limit of three, so "b" (least recently changed) goes
    await publish(url, publication({ articleId: 'c' }));
    await publish(url, publication({ articleId: 'd' }));
    expect((await health(url)).history).toBe(3);
    const current = await reader(`?since=2&epoch=${epoch}`);
    await current.waitFor((f) => f.filter((x) => x.type === 'article').length === 3);
    expect(current.frames[0]).toMatchObject({ gap: false, oldestSeq: 3 });
    expect(current.articles().map((f) => f.message?.articleId)).toEqual(['a', 'c', 'd']);
    const behind = await reader(`?since=1&epoch=${epoch}`);
    await behind.waitFor((f) => f.filter((x) => x.type === 'article').length === 3);
    expect(behind.frames[0]).toMatchObject({ gap: true });
    const fresh = await reader();
    await fresh.waitFor((f) => f.filter((x) => x.type === 'article').length === 2);
    expect(fresh.articles().map((f) => f.message?.articleId)).toEqual(['c', 'd']);
  });

  it('broadcasts a retraction to connected readers', async () => {
    const { url } = await start();
    const r = await reader();
    await publish(url, publication({ articleId: 'x', version: 1 }));
    await publish(url, publication({ articleId: 'x', version: 2, kind: 'retract', imageUrl: null }));
    await r.waitFor((f) => f.some((x) => x.message?.kind === 'retract'));
    expect(r.articles().at(-1)?.message).toMatchObject({ articleId: 'x', kind: 'retract', version: 2, imageUrl: null });
  });

  it('rejects readers from origins that are not allowed', async () => {
    const { wsUrl, port } = await start({ allowedOrigins: ['https://news.example'] });
    const refused = (origin?: string): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(wsUrl, origin === undefined ? {} : { origin });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.terminate();
        });
        ws.on('error', () => {});
      });
    expect(await refused('https://evil.example')).toBe(403);
    expect(await refused()).toBe(403);
    expect(await refused('https://news.example')).toBe(101);
    expect(await refused(`http://127.0.0.1:${port}`)).toBe(101); // the relay's own /reader page
  });

  it('ignores what readers send, and closes a reader that keeps talking', async () => {
    const { url } = await start();
    const r = await reader();
    r.ws.send('{"type":"article","seq":99}');
    await publish(url, publication());
    await r.waitFor((f) => f.some((x) => x.type === 'article'));
    expect((await health(url)).seq).toBe(1);
    for (let i = 0; i < 30; i++) r.ws.send('chatter');
    expect((await r.closed).code).toBe(1008);
    const big = await reader();
    big.ws.send('x'.repeat(10_000));
    expect((await big.closed).code).toBe(1009);
  });

  it('terminates a reader that stops answering heartbeats', async () => {
    const { url } = await start({ heartbeatMs: 50 });
    const healthy = await reader();
    const dead = await reader('', { autoPong: false });
    await dead.closed;
    expect((await health(url)).droppedDead).toBe(1);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a slow consumer and keeps serving the others', async () => {
    const { url } = await start({ maxBufferedBytes: 64 * 1024, historyLimit: 5 });
    const fast = await reader();
    const slow = await reader();
    // Stop reading: the kernel buffers fill, then the relay's own buffer grows past the limit.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const summary = 'x'.repeat(19_000);
    let published = 0;
    await until(async () => {
      for (let i = 0; i < 20; i++, published++) await publish(url, publication({ summary }));
      return (await health(url)).droppedSlow === 1;
    }, 20_000);
    expect((await health(url)).readers).toBe(1);
    await fast.waitFor((f) => f.filter((x) => x.type === 'article').length === published);
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('relay pages', () => {
  it('serves the reader page, the reader script, health and 404s', async () => {
    const { url, readerUrl } = await start();
    const page = await fetch(readerUrl);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toContain('<script src="/reader.js"></script>');
    const script = await fetch(`${url}/reader.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('HeroDeskReader');
    expect((await fetch(`${url}/reader-app.js`)).status).toBe(200);
    expect(await health(url)).toMatchObject({ ok: true, seq: 0, readers: 0 });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/publish`)).status).toBe(405);
  });
});
