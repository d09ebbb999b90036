// Centrifugo publisher against a fake Centrifugo HTTP API on 127.0.0.1 (port 0).
// Centrifugo is self-hosted but ships no npm or apt package we can run here, so this fake follows its
// documented server API (docs/server/server_api.md, codes.md): POST /api/<method>, X-API-Key, HTTP 401 on a
// bad key, HTTP 200 with `{ error: { code, message } }` for API errors, idempotency_key deduped per channel.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentrifugoConfigSchema, createCentrifugoPublisher } from '../../electron/core/adapters/publishers/centrifugo.ts';
import type { PublicationMessage, SecretStore } from '../../electron/core/adapters/types.ts';
import { rejection } from '../helpers/rejection.ts';
import { asText } from '../helpers/text.ts';

const API_KEY = 'test-api-key-123';
const secrets: SecretStore = { get: (name) => (name === 'centrifugoApiKey' ? API_KEY : undefined) };

interface FakeCentrifugo {
  url: string;
  publications: { channel: string; data: unknown }[];
  requests: { path: string; apiKey: string | undefined; body: Record<string, unknown> }[];
  /** Scripted answers for the next requests: an HTTP status, or a Centrifugo error code in a 200. */
  script: ({ status: number; headers?: Record<string, string>; body?: string } | { errorCode: number })[];
  hang: boolean;
  close(): Promise<void>;
}

async function startFakeCentrifugo(namespaces = ['heroes']): Promise<FakeCentrifugo> {
  const seen = new Set<string>();
  const fake: Omit<FakeCentrifugo, 'url' | 'close'> = { publications: [], requests: [], script: [], hang: false };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (fake.hang) return; // never answers: the client's timeout must fire
      const apiKey = req.headers['x-api-key'] as string | undefined;
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      fake.requests.push({ path: req.url ?? '', apiKey, body });
      const json = (value: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (apiKey !== API_KEY) return void res.writeHead(401).end('Unauthorized');
      const scripted = fake.script.shift();
      if (scripted && 'status' in scripted) return void res.writeHead(scripted.status, scripted.headers).end(scripted.body ?? '');
      if (scripted) return json({ error: { code: scripted.errorCode, message: 'scripted' } });
      if (req.url === '/api/info') return json({ result: { nodes: [{ uid: 'n1', name: 'fake' }] } });
      if (req.url !== '/api/publish') return json({ error: { code: 104, message: 'method not found' } });
      const channel = asText(body.channel);
      if (!channel || body.data === undefined) return json({ error: { code: 107, message: 'bad request' } });
      const namespace = channel.includes(':') ? channel.split(':')[0] : 'heroes';
      if (!namespaces.includes(namespace ?? '')) return json({ error: { code: 102, message: 'unknown channel' } });
      const key = typeof body.idempotency_key === 'string' ? `${channel}\u0000${body.idempotency_key}` : null;
      if (!key || !seen.has(key)) {
        if (key) seen.add(key);
        fake.publications.push({ channel, data: body.data });
      }
      return json({ result: { offset: fake.publications.length, epoch: 'e1' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

const message: PublicationMessage = {
  kind: 'publish',
  articleId: 'rec42',
  version: 3,
  idempotencyKey: 'rec42:v3:publish',
  headline: 'Floods close the ring road',
  summary: 'Heavy rain overnight.',
  section: 'Local News',
  imageUrl: 'https://img.example.com/heroes/abc/hero.webp',
  variants: { og: 'https://img.example.com/heroes/def/og.jpg' },
  altText: 'A flooded street at dusk.',
  credit: 'Illustration: AI-generated with gpt-image-1, The Daily',
  publishedAt: 1_760_000_000_000,
};

let fake: FakeCentrifugo;
beforeEach(async () => {
  fake = await startFakeCentrifugo();
});
afterEach(async () => {
  await fake.close();
});

const signal = (): AbortSignal => new AbortController().signal;

describe('Centrifugo publisher', () => {
  it('publishes the message with the API key header and an idempotency key; a retry reaches readers once', async () => {
    const publisher = createCentrifugoPublisher({ apiUrl: `${fake.url}/` }, { secrets });
    expect(publisher.name).toBe('centrifugo');
    await publisher.publish(message, signal());
    await publisher.publish(message, signal()); // the outbox retrying after a lost reply
    expect(fake.requests).toHaveLength(2);
    for (const r of fake.requests) {
      expect(r.path).toBe('/api/publish');
      expect(r.apiKey).toBe(API_KEY);
      expect(r.body).toEqual({ channel: 'heroes', data: message, idempotency_key: 'rec42:v3:publish' });
    }
    expect(fake.publications).toEqual([{ channel: 'heroes', data: message }]);
  });

  it('substitutes the article id and section into a channel template', async () => {
    await createCentrifugoPublisher({ apiUrl: fake.url, channel: 'heroes:{section}.{articleId}' }, { secrets }).publish(message, signal());
    expect(fake.publications.map((p) => p.channel)).toEqual(['heroes:Local_News.rec42']);
  });

  it('maps a rejected key (HTTP 401) to auth without echoing the key', async () => {
    const wrong: SecretStore = { get: () => 'not-the-key' };
    const error = await rejection(createCentrifugoPublisher({ apiUrl: fake.url }, { secrets: wrong }).publish(message, signal()));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('rejected the API key');
    expect(error.message).not.toContain('not-the-key');
  });

  it('maps a missing API key secret to auth before any request', async () => {
    const error = await rejection(
      createCentrifugoPublisher({ apiUrl: fake.url }, { secrets: { get: () => undefined } }).publish(message, signal()),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('"centrifugoApiKey"');
    expect(fake.requests).toHaveLength(0);
  });

  it('reads the error envelope: unknown channel is bad_request, permission denied is auth, internal/rate limit retry', async () => {
    const publisher = createCentrifugoPublisher({ apiUrl: fake.url, channel: 'nonexistent:{articleId}' }, { secrets });
    const unknown = await rejection(publisher.publish(message, signal()));
    expect([unknown.kind, unknown.message.includes('102')]).toEqual(['bad_request', true]);

    const ok = createCentrifugoPublisher({ apiUrl: fake.url }, { secrets });
    fake.script.push({ errorCode: 103 }, { errorCode: 100 }, { errorCode: 111 });
    expect((await rejection(ok.publish(message, signal()))).kind).toBe('auth');
    expect((await rejection(ok.publish(message, signal()))).kind).toBe('retryable');
    expect((await rejection(ok.publish(message, signal()))).kind).toBe('retryable');
    expect(fake.publications).toHaveLength(0);
  });

  it('retries on 5xx and 429 (honouring Retry-After), and on a non-JSON 200 from a proxy', async () => {
    const publisher = createCentrifugoPublisher({ apiUrl: fake.url }, { secrets });
    fake.script.push(
      { status: 503, headers: { 'retry-after': '7' } },
      { status: 429 },
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' },
      { status: 400, body: 'bad' },
    );
    const unavailable = await rejection(publisher.publish(message, signal()));
    expect([unavailable.kind, unavailable.retryAfterMs]).toEqual(['retryable', 7000]);
    expect((await rejection(publisher.publish(message, signal()))).kind).toBe('retryable');
    expect((await rejection(publisher.publish(message, signal()))).kind).toBe('retryable');
    expect((await rejection(publisher.publish(message, signal()))).kind).toBe('bad_request');
  });

  it('treats an unreachable server and a hung one (timeout) as retryable', async () => {
    fake.hang = true;
    const hung = await rejection(createCentrifugoPublisher({ apiUrl: fake.url, timeoutMs: 200 }, { secrets }).publish(message, signal()));
    expect([hung.kind, hung.message.includes('no answer within 200 ms')]).toEqual(['retryable', true]);
    await fake.close();
    const down = await rejection(createCentrifugoPublisher({ apiUrl: fake.url }, { secrets }).publish(message, signal()));
    expect(down.kind).toBe('retryable');
    fake = await startFakeCentrifugo(); // afterEach closes it
  });

  it("stops when the caller aborts, passing the caller's reason on (the one failure policy: not the server's fault)", async () => {
    fake.hang = true;
    const controller = new AbortController();
    const pending = createCentrifugoPublisher({ apiUrl: fake.url }, { secrets }).publish(message, controller.signal);
    controller.abort(new Error('shutdown'));
    await expect(pending).rejects.toThrow('shutdown');
  });

  it('check() calls the info method with the key and reports a bad key as auth', async () => {
    await createCentrifugoPublisher({ apiUrl: fake.url }, { secrets }).check!();
    expect(fake.requests.map((r) => [r.path, r.apiKey])).toEqual([['/api/info', API_KEY]]);
    const error = await rejection(createCentrifugoPublisher({ apiUrl: fake.url }, { secrets: { get: () => 'nope' } }).check!());
    expect(error.kind).toBe('auth');
  });

  it('validates config', () => {
    expect(CentrifugoConfigSchema.safeParse({ apiUrl: 'not a url' }).success).toBe(false);
    expect(CentrifugoConfigSchema.parse({ apiUrl: 'https://relay.example.com' })).toEqual({
      apiUrl: 'https://relay.example.com',
      apiKeySecret: 'centrifugoApiKey',
      channel: 'heroes',
      timeoutMs: 10_000,
    });
  });
});
