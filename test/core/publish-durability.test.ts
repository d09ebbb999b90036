// Publishing survives a crash between upload and publish, and a relay outage: the outbox
// delivers later, never twice, and storage holds exactly one object per key.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startRelay } from '../../electron/core/relay/relay-server.ts';
import { Store } from '../../electron/core/store/store.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { readerFrame, type ReaderFrame } from '../helpers/frames.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});

/** A site's webhook endpoint that can hold a request open (the process dies mid-publish). */
async function startReceiver() {
  const deliveries: { key: string; answered: boolean }[] = [];
  const held: ServerResponse[] = [];
  let holdNext = true;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      if (holdNext) {
        holdNext = false;
        deliveries.push({ key, answered: false });
        held.push(res);
        return;
      }
      deliveries.push({ key, answered: true });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hero`, deliveries };
}

function startCli(dataDir: string, env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'start', '--data-dir', dataDir, '--board-port', '0', '--auto-approve', '1', '--json-logs'], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, ...env },
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function listKeys(s3: S3TestServer): Promise<string[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'auto',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  // the R2 start-up check writes and deletes a probe object; it may still be listed for a moment
  return (listed.Contents ?? [])
    .map((object) => object.Key!)
    .filter((key) => !key.startsWith('.hero-desk-probe/'))
    .sort();
}

describe('durable publishing', () => {
  it('SIGKILL between upload and publish: after restart, one publication and exactly one object per key', async () => {
    const s3 = await startS3Server();
    cleanups.push(() => s3.stop());
    const receiver = await startReceiver();
    const dataDir = dirs.make();
    writeFileSync(
      join(dataDir, 'demo-datasheet.json'),
      JSON.stringify({ records: [{ recordId: 'recCrash1', fields: { Headline: 'Harbour crane toppled in gale', Section: 'Local' } }] }),
    );
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        pollIntervalMs: 200,
        storage: {
          type: 'r2',
          endpoint: s3.endpoint,
          forcePathStyle: true,
          bucket: s3.bucket,
          publicBaseUrl: `${s3.endpoint}/${s3.bucket}`,
        },
        publisher: { type: 'webhook', url: receiver.url },
        publishRetry: { baseMs: 50, capMs: 200 },
        leaseSeconds: 2,
      }),
    );
    const env = {
      HERO_DESK_SECRET_R2ACCESSKEYID: 'S3RVER',
      HERO_DESK_SECRET_R2SECRETACCESSKEY: 'S3RVER',
      HERO_DESK_SECRET_WEBHOOKSIGNINGSECRET: 'signing-secret-123',
    };

    const first = startCli(dataDir, env);
    await waitFor(() => receiver.deliveries.length === 1, 60_000, 'the first publish request (uploads done)');
    first.child.kill('SIGKILL');
    await first.exited;
    const keysAtCrash = await listKeys(s3);
    expect(keysAtCrash.filter((key) => key.startsWith('heroes/')).length).toBeGreaterThan(0); // uploaded, not yet published

    const second = startCli(dataDir, env);
    await waitFor(() => receiver.deliveries.some((d) => d.answered), 60_000, 'the publish after restart');
    await waitFor(() => existsSync(join(dataDir, 'runtime.json')), 10_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // one publication, delivered under one idempotency key (the site dedupes the repeat)
    expect(new Set(receiver.deliveries.map((d) => d.key)).size).toBe(1);
    expect(receiver.deliveries.filter((d) => d.answered)).toHaveLength(1);
    const store = new Store(join(dataDir, 'hero-desk.db'));
    const publications = store.db.all<{ status: string; version: number }>('SELECT status, version FROM publications');
    store.close();
    expect(publications).toEqual([{ status: 'published', version: 1 }]);
    // re-running the upload after the crash wrote to the same content-addressed keys: no second set
    const keysAfter = await listKeys(s3);
    expect(keysAfter).toEqual(keysAtCrash);
    expect(keysAfter.filter((key) => key.startsWith('heroes/'))).toHaveLength(11);
  }, 150_000);

  it('a relay outage delays publication; the outbox drains once it is back, delivering once', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const relayPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const secret = 'relay-secret-0123456789';
    const dataDir = dirs.make();
    writeFileSync(
      join(dataDir, 'demo-datasheet.json'),
      JSON.stringify({ records: [{ recordId: 'recOut1', fields: { Headline: 'Night bus routes extended', Section: 'Local' } }] }),
    );
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        pollIntervalMs: 200,
        publisher: { type: 'external-relay', url: `http://127.0.0.1:${relayPort}` },
        publishRetry: { baseMs: 50, capMs: 300 },
      }),
    );
    const core: RunningCore = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: (n) => (n === 'relayPublishSecret' ? secret : undefined) },
      logger: silentLogger(),
      mediaPort: 0,
    });
    cleanups.push(() => core.stop());
    const card = async () => {
      const result = await core.dispatch('snapshot', {});
      return result.ok ? (result.value as { cards: Card[] }).cards[0] : undefined;
    };
    await waitFor(async () => (await card())?.status === 'generated', 20_000);
    await core.dispatch('approve', { articleId: 'recOut1' });
    // relay down: publishing keeps failing and is retried
    const store = new Store(join(dataDir, 'hero-desk.db'));
    cleanups.push(() => store.close());
    await waitFor(
      () => Number(store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'job_requeued'")?.n) >= 3,
      20_000,
      'retries',
    );
    expect((await card())?.status).toBe('publishing');

    const relay = await startRelay({ port: relayPort, publishSecret: secret });
    cleanups.push(() => relay.stop());
    const frames: ReaderFrame[] = [];
    const reader = new WebSocket(relay.wsUrl);
    cleanups.push(() => reader.terminate());
    reader.on('message', (data) => frames.push(readerFrame(data)));
    await waitFor(async () => (await card())?.status === 'published', 30_000, 'published after the outage');
    await waitFor(() => frames.some((f) => f.type === 'article'), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(frames.filter((f) => f.type === 'article').map((f) => f.message?.articleId)).toEqual(['recOut1']);
  }, 90_000);
});
