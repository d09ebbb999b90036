import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { AitableError, createAitableClient } from '../../electron/core/adapters/aitable/index.ts';
import { article, configFor, fakeServers, secrets, secretsWith } from './helpers.ts';
import { rejection as rejectionOf } from '../helpers/rejection.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AitableError);

describe('AITable client against the fake Fusion API', () => {
  it('pages through records and stops at total without an extra empty request', async () => {
    const fake = await servers.start();
    for (let i = 0; i < 6; i += 1) fake.addRecord(article(`Story ${i}`));
    const client = createAitableClient(configFor(fake, { pageSize: 2 }), { secrets });
    const result = await client.listAllRecords({});
    expect(result.records).toHaveLength(6);
    expect(result.total).toBe(6);
    expect(result.requests).toBe(3);
    expect(fake.requests.filter((r) => r.path.endsWith('/records'))).toHaveLength(3);
    expect(fake.requests[0]?.query.get('fieldKey')).toBe('name');
  });

  it('treats HTTP 200 with success:false as an error, never data, and does not retry it', async () => {
    const fake = await servers.start();
    fake.inject({ code: 400, message: 'View (viwNope) does not exist' });
    const client = createAitableClient(configFor(fake), { secrets });
    const error = await rejection(client.listRecords({}));
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(200);
    expect(error.code).toBe(400);
    expect(error.message).toContain('View (viwNope) does not exist');
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up at once with typed errors on 401, 403, 404 and a wrong datasheet', async () => {
    const fake = await servers.start();
    const badToken = createAitableClient(configFor(fake), { secrets: secretsWith({ aitable: 'wrong' }) });
    expect((await rejection(badToken.listRecords({}))).kind).toBe('auth');

    const client = createAitableClient(configFor(fake), { secrets });
    fake.inject({ status: 403, message: 'Access forbidden because your API usage exceeds the monthly rate' });
    const forbidden = await rejection(client.getFields());
    expect(forbidden.kind).toBe('auth');
    expect(forbidden.message).toContain('monthly rate');

    const wrongBase = createAitableClient(configFor(fake, { baseUrl: fake.baseUrl.replace('/fusion/v1', '/api/v9') }), { secrets });
    const notFound = await rejection(wrongBase.listRecords({}));
    expect(notFound.kind).toBe('bad_request');
    expect(notFound.message).toContain('check baseUrl');

    const otherSheet = createAitableClient(configFor(fake, { datasheetId: 'dstSomethingElse' }), { secrets });
    const missing = await rejection(otherSheet.listRecords({}));
    expect(missing.code).toBe(301);
    expect(missing.kind).toBe('bad_request');
    expect(fake.requests).toHaveLength(4);
  });

  it('never sends a request without a token and never puts the token in an error', async () => {
    const fake = await servers.start({ tokens: ['s3cret-token-value'] });
    const none = createAitableClient(configFor(fake), { secrets: secretsWith({}) });
    const error = await rejection(none.listRecords({}));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('"aitable"');
    expect(fake.requests).toHaveLength(0);

    const wrong = createAitableClient(configFor(fake), { secrets: secretsWith({ aitable: 's3cret-other' }) });
    const unauthorized = await rejection(wrong.listRecords({}));
    expect(unauthorized.message).not.toContain('s3cret');
  });

  it('backs off and retries through a 429 storm and 500s', async () => {
    const fake = await servers.start();
    fake.addRecord(article('Survivor'));
    fake.inject({ status: 429, times: 3 });
    fake.inject({ status: 500, times: 2 });
    const client = createAitableClient(configFor(fake), { secrets });
    const page = await client.listRecords({});
    expect(page.records).toHaveLength(1);
    expect(fake.requests).toHaveLength(6);
  });

  it('reports a retryable error after the retries run out', async () => {
    const fake = await servers.start();
    fake.inject({ status: 500, times: 50 });
    const client = createAitableClient(configFor(fake, { retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 } }), { secrets });
    const error = await rejection(client.listRecords({}));
    expect(error.kind).toBe('retryable');
    expect(error.message).toContain('gave up after 3 attempts');
  });

  it('stays under the per-(token, datasheet) rate limit on its own', async () => {
    const fake = await servers.start();
    // no retries: a single 429 from the fake would fail this test
    const client = createAitableClient(configFor(fake, { retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0 } }), { secrets });
    const results = await Promise.all(Array.from({ length: 12 }, () => client.listRecords({ pageSize: 1 })));
    expect(results).toHaveLength(12);
    expect(fake.requests).toHaveLength(12);
  });

  it('splits updates into requests of at most 10 records', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 23 }, (_, i) => fake.addRecord(article(`S${i}`)));
    const client = createAitableClient(configFor(fake), { secrets });
    const updated = await client.updateRecords(ids.map((recordId) => ({ recordId, fields: { 'Image status': 'Queued' } })));
    expect(updated).toHaveLength(23);
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => (p.body as { records: unknown[] }).records.length)).toEqual([10, 10, 3]);
    expect(fake.cellsOf(ids[22] ?? '')['Image status']).toBe('Queued');
  });

  it('uploads an attachment (multipart) and sets the cell with its token', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('With image'));
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const client = createAitableClient(configFor(fake), { secrets });
    const uploaded = await client.uploadAttachment({ bytes: png, filename: 'hero.png', contentType: 'image/png' });
    expect(uploaded).toMatchObject({ name: 'hero.png', mimeType: 'image/png', width: 40, height: 20, size: png.length });
    await client.updateRecords([{ recordId: id, fields: { Image: [{ token: uploaded.token, name: 'hero.png' }] } }]);
    const page = await client.listRecords({ fields: ['Image'] });
    const cell = (page.records[0] as { fields: { Image: { token: string; url: string; width: number }[] } }).fields.Image;
    expect(cell[0]).toMatchObject({ token: uploaded.token, width: 40 });
    expect(cell[0]?.url).toContain(uploaded.token);
  });

  it('treats a reply that is not a Fusion envelope (a proxy or captive portal) as transient, naming it', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const client = createAitableClient(
        { baseUrl: `http://127.0.0.1:${port}/fusion/v1`, datasheetId: 'dstX1', retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 5 } },
        { secrets },
      );
      const error = await rejection(client.listRecords({}));
      expect(error.kind).toBe('retryable');
      expect(error.message).toContain('not a Fusion API envelope');
      expect(error.message).toContain('gave up after 2 attempts');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
