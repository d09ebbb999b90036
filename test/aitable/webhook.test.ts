import { afterEach, describe, expect, it } from 'vitest';
import { createAitableSource, startWebhookServer } from '../../electron/core/adapters/aitable/index.ts';
import type { WebhookServer } from '../../electron/core/adapters/aitable/index.ts';
import type { SourceArticle, RejectedRecord } from '../../electron/core/adapters/types.ts';
import { article, configFor, fakeServers, secrets } from './helpers.ts';

const servers = fakeServers();
const hooks: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(hooks.splice(0).map((h) => h.stop()));
  await servers.closeAll();
});

const SECRET = 'hook-secret-value';

async function start(onRecord: (id: string) => void | Promise<void>) {
  const hook = await startWebhookServer({ host: '127.0.0.1', port: 0, secret: SECRET, onRecord });
  hooks.push(hook);
  return hook;
}

function post(url: string, body: unknown, headers: Record<string, string> = { 'X-Hero-Desk-Secret': SECRET }) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('AITable webhook trigger', () => {
  it('accepts a recordId with the secret header or ?secret= and hands it on', async () => {
    const seen: string[] = [];
    const hook = await start((id) => void seen.push(id));
    expect(hook.url).toBe(`http://127.0.0.1:${hook.port}/aitable/webhook`);
    const res = await post(hook.url, { recordId: 'recNew0000001', headline: 'ignored', tier: 'breaking' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, recordId: 'recNew0000001' });
    const nested = await post(`${hook.url}?secret=${SECRET}`, { record: { id: 'recNew0000002', url: 'x' } }, {});
    expect(nested.status).toBe(202);
    const form = await fetch(hook.url, {
      method: 'POST',
      headers: { 'X-Hero-Desk-Secret': SECRET, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'recordId=recNew0000003',
    });
    expect(form.status).toBe(202);
    await expect.poll(() => seen).toEqual(['recNew0000001', 'recNew0000002', 'recNew0000003']);
  });

  it('answers 401 without the right secret and never calls the handler', async () => {
    const seen: string[] = [];
    const hook = await start((id) => void seen.push(id));
    expect((await post(hook.url, { recordId: 'recNew0000001' }, {})).status).toBe(401);
    expect((await post(hook.url, { recordId: 'recNew0000001' }, { 'X-Hero-Desk-Secret': 'guess' })).status).toBe(401);
    expect((await post(`${hook.url}?secret=${SECRET}x`, { recordId: 'recNew0000001' }, {})).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('answers 400 for a body without a valid recordId, 405/404 for other methods and paths', async () => {
    const seen: string[] = [];
    const hook = await start((id) => void seen.push(id));
    expect((await post(hook.url, { id: 'recNew0000001' })).status).toBe(400);
    expect((await post(hook.url, { recordId: 'rec"); DROP' })).status).toBe(400);
    expect((await post(hook.url, 'not json')).status).toBe(400);
    expect((await fetch(hook.url)).status).toBe(405);
    expect((await post(hook.url.replace('/webhook', '/other'), { recordId: 'recNew0000001' })).status).toBe(404);
    expect((await post(hook.url, { recordId: 'recNew0000001', pad: 'x'.repeat(70_000) })).status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('drives fetchOne end to end: automation → webhook → record read by id', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Breaking: bridge closed', { Breaking: true }));
    const source = createAitableSource(configFor(fake), { secrets });
    const fetched: (SourceArticle | RejectedRecord | null)[] = [];
    const hook = await start(async (recordId) => void fetched.push(await source.fetchOne(recordId)));
    expect((await post(hook.url, { recordId: id, datasheetId: fake.datasheetId })).status).toBe(202);
    await expect.poll(() => fetched.length).toBe(1);
    expect(fetched[0]).toMatchObject({ recordId: id, headline: 'Breaking: bridge closed', tier: 'breaking' });
  });
});
