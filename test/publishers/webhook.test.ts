// Webhook publisher against a real receiver on 127.0.0.1 (port 0) that verifies the HMAC over the raw
// body exactly as a site's backend would, and dedupes on Idempotency-Key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookPublisher, signBody, WebhookConfigSchema } from '../../electron/core/adapters/publishers/webhook.ts';
import type { PublicationMessage, SecretStore } from '../../electron/core/adapters/types.ts';
import { rejection } from '../helpers/rejection.ts';

const SECRET = 'whsec-shared-between-desk-and-site';
const secrets: SecretStore = { get: (name) => (name === 'webhookSigningSecret' ? SECRET : undefined) };

interface Receiver {
  url: string;
  accepted: PublicationMessage[];
  requests: { headers: IncomingMessage['headers']; raw: Buffer; verified: boolean }[];
  script: { status: number; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

function verify(raw: Buffer, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function startReceiver(): Promise<Receiver> {
  const seenKeys = new Set<string>();
  const state: Omit<Receiver, 'url' | 'close'> = { accepted: [], requests: [], script: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const verified = verify(raw, req.headers['x-hero-desk-signature'] as string | undefined);
      state.requests.push({ headers: req.headers, raw, verified });
      const scripted = state.script.shift();
      if (scripted) return void res.writeHead(scripted.status, scripted.headers).end('scripted');
      if (!verified) return void res.writeHead(401).end('bad signature');
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !key) return void res.writeHead(400).end('missing Idempotency-Key');
      if (!seenKeys.has(key)) {
        seenKeys.add(key);
        state.accepted.push(JSON.parse(raw.toString('utf8')) as PublicationMessage);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/hero`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

const message: PublicationMessage = {
  kind: 'retract',
  articleId: 'rec7',
  version: 5,
  idempotencyKey: 'rec7:v5:retract',
  headline: 'Mayor résigns — “effective now”',
  summary: 'Non-ASCII text must be signed over the same bytes that are sent.',
  section: 'Politics',
  imageUrl: null,
  altText: '',
  credit: '',
  publishedAt: 1_760_000_000_000,
};

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const signal = (): AbortSignal => new AbortController().signal;

describe('webhook publisher', () => {
  it('posts the message as JSON with a verifiable HMAC signature and an Idempotency-Key; repeats are deduped', async () => {
    const publisher = createWebhookPublisher({ url: receiver.url, headers: { 'X-Site': 'daily' } }, { secrets });
    expect(publisher.name).toBe('webhook');
    await publisher.publish(message, signal());
    await publisher.publish(message, signal());
    expect(receiver.requests).toHaveLength(2);
    for (const r of receiver.requests) {
      expect(r.verified).toBe(true);
      expect(r.headers['idempotency-key']).toBe('rec7:v5:retract');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-site']).toBe('daily');
      expect(r.headers['x-hero-desk-signature']).toBe(signBody(r.raw.toString('utf8'), SECRET));
    }
    expect(receiver.accepted).toEqual([message]);
  });

  it('a wrong signing secret fails verification at the receiver, which the publisher reports as auth', async () => {
    const wrong: SecretStore = { get: () => 'some-other-secret' };
    const error = await rejection(createWebhookPublisher({ url: receiver.url }, { secrets: wrong }).publish(message, signal()));
    expect(receiver.requests[0]?.verified).toBe(false);
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain('some-other-secret');
    expect(receiver.accepted).toHaveLength(0);
  });

  it('classifies statuses: 4xx permanent, 408/429/5xx retryable with Retry-After, 3xx not followed', async () => {
    const publisher = createWebhookPublisher({ url: receiver.url }, { secrets });
    receiver.script.push(
      { status: 400 },
      { status: 403 },
      { status: 404 },
      { status: 408 },
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 500 },
      { status: 502 },
      { status: 302, headers: { location: 'https://elsewhere.example.com/hook' } },
    );
    const kinds: [string, number | null][] = [];
    for (let i = 0; i < 8; i++) {
      const e = await rejection(publisher.publish(message, signal()));
      kinds.push([e.kind, e.retryAfterMs]);
    }
    expect(kinds).toEqual([
      ['bad_request', null],
      ['auth', null],
      ['bad_request', null],
      ['retryable', null],
      ['retryable', 3000],
      ['retryable', null],
      ['retryable', null],
      ['bad_request', null],
    ]);
    // The redirect was reported, not followed as a GET.
    expect(receiver.requests).toHaveLength(8);
  });

  it('treats a refused connection as retryable and a missing secret as auth', async () => {
    const url = receiver.url;
    await receiver.close();
    const down = await rejection(createWebhookPublisher({ url }, { secrets }).publish(message, signal()));
    expect(down.kind).toBe('retryable');
    receiver = await startReceiver(); // afterEach closes it

    const publisher = createWebhookPublisher({ url: receiver.url }, { secrets: { get: () => undefined } });
    const missing = await rejection(publisher.publish(message, signal()));
    expect([missing.kind, missing.message.includes('"webhookSigningSecret"')]).toEqual(['auth', true]);
    expect((await rejection(publisher.check!())).kind).toBe('auth');
    await createWebhookPublisher({ url: receiver.url }, { secrets }).check!();
    expect(receiver.requests).toHaveLength(0);
  });

  it('validates config', () => {
    expect(WebhookConfigSchema.safeParse({ url: 'nope' }).success).toBe(false);
    expect(WebhookConfigSchema.parse({ url: 'https://site.example.com/hook' })).toEqual({
      url: 'https://site.example.com/hook',
      signingSecret: 'webhookSigningSecret',
      timeoutMs: 10_000,
      headers: {},
    });
  });
});
