// R2 storage against a REAL S3 server: s3rver 3.7.1 in-process on 127.0.0.1 (port 0), files in a temp dir.
// s3rver does not verify SigV4 signatures (it only checks the access key id exists), so a WRONG SECRET
// cannot be detected here; an unknown access key id can, and maps the same way (403 → auth).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver, { type S3rverEvent } from 's3rver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createR2Storage, IMMUTABLE_CACHE_CONTROL, R2ConfigSchema } from '../../electron/core/adapters/r2/r2-storage.ts';
import type { StorageLogger } from '../../electron/core/adapters/r2/r2-storage.ts';
import type { SecretStore } from '../../electron/core/adapters/types.ts';
import { rejection } from '../helpers/rejection.ts';
import { objectContaining, stringContaining } from '../helpers/matchers.ts';

const BUCKET = 'heroes';
const GOOD_SECRETS: SecretStore = { get: (name) => ({ r2AccessKeyId: 'S3RVER', r2SecretAccessKey: 'S3RVER' })[name] };

let dir: string;
let server: Server;
let endpoint: string;
let requests: { method: string; url: string }[];
let created: string[];
/** Status to answer the next request with, instead of passing it to s3rver (an R2 outage). */
let failNext: number | null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hd-r2-'));
  const s3rver = new S3rver({ silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  await s3rver.configureBuckets();
  s3rver.on('event', (event: S3rverEvent) => {
    for (const record of event.Records) if (record.eventName.startsWith('ObjectCreated')) created.push(record.s3.object.key);
  });
  requests = [];
  created = [];
  failNext = null;
  const handle = s3rver.callback();
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    if (failNext !== null) {
      const status = failNext;
      failNext = null;
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>');
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function storage(overrides: Partial<Parameters<typeof createR2Storage>[0]> = {}, secrets = GOOD_SECRETS, logger?: StorageLogger) {
  return createR2Storage(
    { endpoint, bucket: BUCKET, publicBaseUrl: 'https://img.example.com/', forcePathStyle: true, maxAttempts: 1, ...overrides },
    { secrets, logger },
  );
}

function reader(): S3Client {
  return new S3Client({
    endpoint,
    region: 'auto',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function listKeys(prefix?: string): Promise<string[]> {
  const out = await reader().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

const putsFor = (key: string) => requests.filter((r) => r.method === 'PUT' && r.url.includes(key)).length;

describe('R2 storage against s3rver', () => {
  it('stores bytes with content type, immutable Cache-Control and metadata, and returns the public URL', async () => {
    const key = 'heroes/abc123/story-hero.webp';
    const bytes = randomBytes(2048);
    const stored = await storage().put(key, bytes, 'image/webp', { model: 'gpt-image-1', Credit: 'Illustration — Daily' });
    expect(stored).toEqual({ key, url: `https://img.example.com/${key}` });

    const got = await reader().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(bytes);
    expect(got.ContentType).toBe('image/webp');
    expect(got.CacheControl).toBe(IMMUTABLE_CACHE_CONTROL);
    // Non-ASCII metadata is percent-encoded (headers are ASCII); keys are lower-cased.
    expect(got.Metadata).toEqual({ model: 'gpt-image-1', credit: encodeURIComponent('Illustration — Daily') });
    expect(await listKeys('heroes/')).toEqual([key]);
  });

  it('reads an object back by key (publishing reads the approved original), and names a missing one', async () => {
    const bytes = randomBytes(4096);
    await storage().put('originals/abc.png', bytes, 'image/png');
    expect((await storage().get('originals/abc.png')).equals(bytes)).toBe(true);
    const missing = await rejection(storage().get('originals/none.png'));
    expect(missing).toMatchObject({ kind: 'bad_request', message: stringContaining('originals/none.png') });
  });

  it('is idempotent: a repeated put with the same key and bytes makes no second PUT and one object', async () => {
    const r2 = storage();
    const key = 'heroes/def456/hero.jpg';
    const bytes = randomBytes(4096);
    await r2.put(key, bytes, 'image/jpeg');
    const again = await r2.put(key, bytes, 'image/jpeg');
    expect(again.url).toBe(`https://img.example.com/${key}`);
    expect(putsFor(key)).toBe(1);
    expect(requests.filter((r) => r.method === 'HEAD' && r.url.includes(key))).toHaveLength(2);
    expect(created).toEqual([key]);
    expect(await listKeys('heroes/def456/')).toEqual([key]);
  });

  it('replaces an object of a different size under the same key and logs a warning', async () => {
    const warnings: object[] = [];
    const logger: StorageLogger = { info: () => {}, warn: (obj) => warnings.push(obj) };
    const r2 = storage({}, GOOD_SECRETS, logger);
    const key = 'heroes/0000/hero.png';
    await r2.put(key, randomBytes(100), 'image/png');
    const second = randomBytes(200);
    await r2.put(key, second, 'image/png');
    expect(putsFor(key)).toBe(2);
    expect(warnings).toEqual([objectContaining({ key, stored: 100, bytes: 200 })]);
    const got = await reader().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(second);
  });

  it('uploads bodies over 5 MiB as multipart (lib-storage), with Cache-Control kept', async () => {
    const key = 'heroes/big/original.png';
    const bytes = randomBytes(6 * 1024 * 1024 + 123);
    await storage().put(key, bytes, 'image/png', { c2pa: 'true' });
    expect(requests.some((r) => r.method === 'POST' && r.url.includes('uploads'))).toBe(true);
    expect(requests.filter((r) => r.method === 'PUT' && r.url.includes('partNumber='))).toHaveLength(2);
    const got = await reader().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    expect(got.CacheControl).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(got.ContentType).toBe('image/png');
    // A retry of the same big upload is skipped by the HEAD too.
    const before = requests.length;
    await storage().put(key, bytes, 'image/png');
    expect(requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('check() passes on a good bucket and leaves no probe object behind', async () => {
    await storage().check!();
    expect(requests.map((r) => r.method)).toEqual(['HEAD', 'PUT', 'DELETE']);
    expect(await listKeys()).toEqual([]);
  });

  it('check() names a missing bucket as bad_request', async () => {
    const error = await rejection(storage({ bucket: 'no-such-bucket' }).check!());
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('"no-such-bucket" does not exist');
  });

  it('put() into a missing bucket is bad_request naming the bucket', async () => {
    const error = await rejection(storage({ bucket: 'gone-bucket' }).put('heroes/x/hero.webp', randomBytes(10), 'image/webp'));
    // HEAD object in a missing bucket is a bare 404 (looks like "no object"), so the PUT reports NoSuchBucket.
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('"gone-bucket"');
  });

  it('maps rejected credentials (unknown access key id) to auth, without leaking the secret', async () => {
    const secrets: SecretStore = { get: (name) => ({ r2AccessKeyId: 'NOT-A-KEY', r2SecretAccessKey: 'super-secret-value' })[name] };
    const checkError = await rejection(storage({}, secrets).check!());
    expect(checkError.kind).toBe('auth');
    expect(checkError.message).toContain('R2 rejected the credentials for bucket "heroes"');
    expect(checkError.message).not.toContain('super-secret-value');
    const putError = await rejection(storage({}, secrets).put('heroes/a/b.webp', randomBytes(8), 'image/webp'));
    expect(putError.kind).toBe('auth');
  });

  it('reports missing secrets as auth, naming the secret (not a value)', async () => {
    const error = await rejection(storage({}, { get: () => undefined }).put('heroes/a/b.webp', randomBytes(8), 'image/webp'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('"r2AccessKeyId"');
    expect(requests).toHaveLength(0);
  });

  it('classifies a 503 from the server and an unreachable endpoint as retryable', async () => {
    failNext = 503;
    const outage = await rejection(storage().put('heroes/a/c.webp', randomBytes(8), 'image/webp'));
    expect(outage.kind).toBe('retryable');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const network = await rejection(storage({ endpoint: `http://127.0.0.1:${deadPort}` }).check!());
    expect(network.kind).toBe('retryable');
  });

  it('rejects unsafe keys and encodes URLs', async () => {
    const r2 = storage();
    expect((await rejection(r2.put('../etc/passwd', randomBytes(1), 'image/png'))).kind).toBe('bad_request');
    expect((await rejection(r2.put('/abs', randomBytes(1), 'image/png'))).kind).toBe('bad_request');
    expect(r2.urlFor('heroes/ab cd/é.webp')).toBe('https://img.example.com/heroes/ab%20cd/%C3%A9.webp');
  });
});

describe('R2ConfigSchema', () => {
  it('needs an account id or an endpoint, and fills defaults', () => {
    expect(R2ConfigSchema.safeParse({ bucket: BUCKET, publicBaseUrl: 'https://img.example.com' }).success).toBe(false);
    const parsed = R2ConfigSchema.parse({ accountId: 'acc', bucket: BUCKET, publicBaseUrl: 'https://pub-1.r2.dev' });
    expect(parsed).toMatchObject({
      accessKeyIdSecret: 'r2AccessKeyId',
      secretAccessKeySecret: 'r2SecretAccessKey',
      forcePathStyle: false,
      multipartThresholdBytes: 5 * 1024 * 1024,
    });
  });
});
