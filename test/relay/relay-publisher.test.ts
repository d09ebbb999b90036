import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import { createRelayPublisher } from '../../electron/core/adapters/publishers/relay.ts';
import { startRelay } from '../../electron/core/relay/relay-server.ts';
import type { RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { SECRET, connectReader, health, publication } from './helpers.ts';

let relay: RelayHandle | null = null;
let fake: Server | null = null;

afterEach(async () => {
  await relay?.stop();
  relay = null;
  if (fake) {
    fake.closeAllConnections();
    await new Promise((r) => fake?.close(r));
    fake = null;
  }
});

const signal = (): AbortSignal => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<AdapterError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdapterError);
  return error as AdapterError;
}

/** A stand-in relay that answers every request with the given status (or never answers). */
async function startFake(status: number | 'hang', headers: Record<string, string> = {}): Promise<string> {
  fake = createServer((req, res) => {
    req.resume();
    if (status === 'hang') return;
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify({ ok: false, error: 'fake failure' }));
  });
  await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}

describe('relay publisher against the bundled relay', () => {
  it('publishes, tolerates a repeat, and readers receive it once', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const reader = await connectReader(relay.wsUrl);
    const publisher = createRelayPublisher({ url: relay.url, publishSecret: SECRET });
    expect(publisher.name).toBe('relay');
    const message = publication();
    await publisher.publish(message, signal());
    await publisher.publish(message, signal());
    await reader.waitFor((f) => f.some((x) => x.type === 'article'));
    expect((await health(relay.url)).seq).toBe(1);
    reader.ws.terminate();
  });

  it('reads the secret from the SecretStore by name', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const publisher = createRelayPublisher(
      { url: relay.url, publishSecretName: 'relay' },
      { secrets: { get: (n) => (n === 'relay' ? SECRET : undefined) } },
    );
    await publisher.publish(publication(), signal());
    await publisher.check?.();
    const missing = createRelayPublisher({ url: relay.url }, { secrets: { get: () => undefined } });
    expect((await failure(missing.publish(publication(), signal()))).kind).toBe('auth');
  });

  it('classifies a wrong secret as auth (and never echoes the secret)', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const publisher = createRelayPublisher({ url: relay.url, publishSecret: 'not-the-secret-at-all' });
    const error = await failure(publisher.publish(publication(), signal()));
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain('not-the-secret');
    expect((await failure(publisher.check?.() ?? Promise.resolve())).kind).toBe('auth');
  });

  it('classifies an invalid message as bad_request with the relay’s reason', async () => {
    relay = await startRelay({ publishSecret: SECRET });
    const publisher = createRelayPublisher({ url: relay.url, publishSecret: SECRET });
    const error = await failure(publisher.publish(publication({ imageUrl: 'file:///etc/passwd' }), signal()));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toMatch(/imageUrl/);
  });
});

describe('relay publisher failure modes', () => {
  it('treats 5xx and 429 as retryable, honouring Retry-After', async () => {
    const url = await startFake(503, { 'Retry-After': '2' });
    const error = await failure(createRelayPublisher({ url, publishSecret: SECRET }).publish(publication(), signal()));
    expect([error.kind, error.retryAfterMs]).toEqual(['retryable', 2000]);
    await new Promise((r) => fake?.close(r));
    fake = null;
    const tooMany = await startFake(429);
    expect((await failure(createRelayPublisher({ url: tooMany, publishSecret: SECRET }).publish(publication(), signal()))).kind).toBe(
      'retryable',
    );
  });

  it('treats 408 and 425 as retryable, like every other client (it used to fail the publication for good)', async () => {
    for (const status of [408, 425]) {
      const url = await startFake(status);
      const error = await failure(createRelayPublisher({ url, publishSecret: SECRET }).publish(publication(), signal()));
      expect([status, error.kind]).toEqual([status, 'retryable']);
      fake?.closeAllConnections();
      await new Promise((r) => fake?.close(r));
      fake = null;
    }
  });

  it('names the secret and its environment variable when the relay rejects it', async () => {
    const url = await startFake(401);
    const publisher = createRelayPublisher({ url, publishSecretName: 'relay' }, { secrets: { get: () => 'some-wrong-secret-value' } });
    const error = await failure(publisher.publish(publication(), signal()));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/"relay".*HERO_DESK_SECRET_RELAY/);
    expect(error.message).not.toContain('some-wrong-secret-value');
  });

  it('treats an unreachable relay as retryable', async () => {
    const url = await startFake(200);
    fake?.closeAllConnections();
    await new Promise((r) => fake?.close(r));
    fake = null;
    const error = await failure(createRelayPublisher({ url, publishSecret: SECRET }).publish(publication(), signal()));
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatch(/network error \(ECONNREFUSED\)/);
  });

  it('times out a relay that never answers, as retryable', async () => {
    const url = await startFake('hang');
    const error = await failure(createRelayPublisher({ url, publishSecret: SECRET, timeoutMs: 150 }).publish(publication(), signal()));
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatch(/no answer within 150 ms/);
  });

  it('passes the caller’s abort through instead of blaming the relay', async () => {
    const url = await startFake('hang');
    const controller = new AbortController();
    const pending = createRelayPublisher({ url, publishSecret: SECRET }).publish(publication(), controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
    await expect(pending).rejects.not.toBeInstanceOf(AdapterError);
  });
});
