// The fake's scheduled fault windows (used by the chaos harness): each kind answers as promised,
// only inside its window, and the fake serves normally again once it closes.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN, article, fakeServers } from './helpers.ts';
import type { FakeFusion } from './fake-fusion-server.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

const auth = { Authorization: `Bearer ${TOKEN}` };
const recordsUrl = (fake: FakeFusion) => `${fake.baseUrl}/datasheets/${fake.datasheetId}/records`;
const always = { from: 0, until: Number.MAX_SAFE_INTEGER };

describe('fake Fusion API fault windows', () => {
  it('answers 429 with Retry-After inside the window and serves normally after it', async () => {
    const fake = await servers.start();
    fake.addRecord(article('Harbour reopens'));
    const now = Date.now();
    fake.addFault({ kind: 'rate-limited', from: now - 10, until: now + 300, retryAfterSeconds: 7 });
    const limited = await fetch(recordsUrl(fake), { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(((await limited.json()) as { code: number }).code).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const served = await fetch(recordsUrl(fake), { headers: auth });
    expect(served.status).toBe(200);
    expect(((await served.json()) as { data: { total: number } }).data.total).toBe(1);
    expect(fake.requests.map((r) => r.fault)).toEqual(['rate-limited', undefined]);
  });

  it('answers 401 before checking the token, and the chosen 5xx status', async () => {
    const fake = await servers.start();
    fake.addFault({ ...always, kind: 'unauthorized', match: (req) => req.method === 'GET' });
    expect((await fetch(recordsUrl(fake), { headers: auth })).status).toBe(401);
    fake.clearFaults();
    fake.addFault({ ...always, kind: 'server-error', status: 502 });
    expect((await fetch(recordsUrl(fake), { headers: auth })).status).toBe(502);
    fake.clearFaults();
    expect((await fetch(recordsUrl(fake), { headers: auth })).status).toBe(200);
  });

  it('serves an HTML error page that is not JSON', async () => {
    const fake = await servers.start();
    fake.addFault({ ...always, kind: 'html-error' });
    const res = await fetch(recordsUrl(fake), { headers: auth });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('applies a write but cuts its JSON answer off half way', async () => {
    const fake = await servers.start();
    const recordId = fake.addRecord(article('Ferry strike'));
    fake.addFault({ ...always, kind: 'truncated-json' });
    const res = await fetch(recordsUrl(fake), {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ records: [{ recordId, fields: { 'Image status': 'Published' } }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect((): unknown => JSON.parse(text)).toThrow();
    expect(fake.cellsOf(recordId)['Image status']).toBe('Published');
  });

  it('holds a request open without answering until the client gives up, and clearFaults drops it', async () => {
    const fake = await servers.start();
    fake.addFault({ ...always, kind: 'hang' });
    const aborted = await fetch(recordsUrl(fake), { headers: auth, signal: AbortSignal.timeout(200) }).catch((error: Error) => error.name);
    expect(aborted).toBe('TimeoutError');
    const pending = fetch(recordsUrl(fake), { headers: auth }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    fake.clearFaults();
    expect(await pending).toBe('dropped');
    expect(fake.requests.every((r) => r.fault === 'hang' && r.status === undefined)).toBe(true);
  });

  it('logs each stored upload with the sha256 of its bytes and the request that made it', async () => {
    const fake = await servers.start();
    const bytes = Buffer.from('not really an image');
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/webp' }), 'rec1-hero.webp');
    const res = await fetch(`${fake.baseUrl}/datasheets/${fake.datasheetId}/attachments`, { method: 'POST', headers: auth, body: form });
    const token = ((await res.json()) as { data: { token: string } }).data.token;
    expect(fake.uploadLog).toEqual([
      expect.objectContaining({
        token,
        name: 'rec1-hero.webp',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }),
    ]);
    expect(fake.requests[0]?.uploadToken).toBe(token);
    expect(fake.requests[0]?.status).toBe(200);
  });
});
