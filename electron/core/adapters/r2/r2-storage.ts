// Cloudflare R2 (S3-compatible) image storage. Keys are content-addressed by the caller, so put()
// is idempotent: a HEAD first skips bytes R2 already holds, and a retried upload lands on the same key.
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { z } from 'zod';
import type { AdapterLogger, AdapterServices, ImageStorage, StoredObject } from '../types.ts';
import { AdapterError } from '../types.ts';
import { classifyR2Error, isNotFound } from './r2-errors.ts';

const MIB = 1024 * 1024;
/** Objects never change under a content-addressed key, so browsers and the CDN may keep them forever. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export const R2ConfigSchema = z
  .strictObject({
    /** Cloudflare account id; the endpoint is https://<accountId>.r2.cloudflarestorage.com. */
    accountId: z.string().min(1).optional(),
    /** Overrides the account endpoint (tests, jurisdiction endpoints such as <id>.eu.r2.cloudflarestorage.com). */
    endpoint: z.url().optional(),
    bucket: z.string().min(3).max(63),
    /** Where readers fetch objects: the bucket's custom domain or its r2.dev URL. */
    publicBaseUrl: z.url(),
    accessKeyIdSecret: z.string().min(1).default('r2AccessKeyId'),
    secretAccessKeySecret: z.string().min(1).default('r2SecretAccessKey'),
    /** R2 accepts both; path style is what local S3 servers (s3rver) need. */
    forcePathStyle: z.boolean().default(false),
    /** Bodies above this go through a multipart upload (lib-storage). S3 minimum part size is 5 MiB. */
    multipartThresholdBytes: z
      .number()
      .int()
      .min(5 * MIB)
      .default(5 * MIB),
    /** Attempts the SDK makes itself before the queue's own retry takes over. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .refine((c) => c.accountId !== undefined || c.endpoint !== undefined, {
    message: 'R2 needs accountId (or an explicit endpoint)',
    path: ['accountId'],
  });
export type R2Config = z.input<typeof R2ConfigSchema>;

export type StorageLogger = Pick<AdapterLogger, 'info' | 'warn'>;
export type R2Deps = AdapterServices<'info' | 'warn'>;

/** S3 user metadata travels as HTTP headers: ASCII only, so anything else is percent-encoded. */
function headerSafeMetadata(metadata: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!metadata) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const safeKey = key.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    out[safeKey] = /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
  }
  return out;
}

function assertKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new AdapterError(`Invalid storage key "${key}"`, 'bad_request');
  }
}

export function createR2Storage(rawConfig: R2Config, deps: R2Deps): ImageStorage {
  const config = R2ConfigSchema.parse(rawConfig);
  const { bucket } = config;
  const endpoint = config.endpoint ?? `https://${config.accountId ?? ''}.r2.cloudflarestorage.com`;
  const baseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  let client: S3Client | null = null;

  // Built on first use so a key entered after start-up (keychain) is picked up without a restart.
  function getClient(): S3Client {
    if (client) return client;
    const accessKeyId = deps.secrets.get(config.accessKeyIdSecret);
    const secretAccessKey = deps.secrets.get(config.secretAccessKeySecret);
    if (!accessKeyId || !secretAccessKey) {
      const missing = !accessKeyId ? config.accessKeyIdSecret : config.secretAccessKeySecret;
      throw new AdapterError(`R2 credentials for bucket "${bucket}" are not set (secret "${missing}" is missing)`, 'auth');
    }
    client = new S3Client({
      endpoint,
      region: 'auto',
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: config.maxAttempts,
      // Newer SDKs add CRC checksums (and aws-chunked bodies) by default, which R2 and local S3
      // servers have rejected; Cloudflare's own guidance is to send them only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return client;
  }

  function urlFor(key: string): string {
    return `${baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Size of the object under `key`, or null when there is none. */
  async function existingSize(key: string, signal?: AbortSignal): Promise<number | null> {
    try {
      const head = await getClient().send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return head.ContentLength ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw classifyR2Error(error, bucket, `check for ${key}`);
    }
  }

  async function upload(key: string, bytes: Buffer, contentType: string, metadata?: Record<string, string>): Promise<void> {
    const params = {
      Bucket: bucket,
      Key: key,
      Body: bytes,
      ContentType: contentType,
      CacheControl: IMMUTABLE_CACHE_CONTROL,
      Metadata: headerSafeMetadata(metadata),
    };
    try {
      if (bytes.length > config.multipartThresholdBytes) {
        // Parts are retried individually; a failed upload is aborted so no orphaned parts linger.
        await new Upload({ client: getClient(), params, partSize: config.multipartThresholdBytes, queueSize: 2 }).done();
      } else {
        await getClient().send(new PutObjectCommand({ ...params, ContentLength: bytes.length }));
      }
    } catch (error) {
      throw classifyR2Error(error, bucket, `upload of ${key}`);
    }
  }

  async function put(key: string, bytes: Buffer, contentType: string, metadata?: Record<string, string>): Promise<StoredObject> {
    assertKey(key);
    const size = await existingSize(key);
    if (size === bytes.length) {
      deps.logger?.info({ bucket, key, bytes: bytes.length }, 'r2: object already stored, upload skipped');
      return { key, url: urlFor(key) };
    }
    if (size !== null) {
      // Same content-addressed key, different size: a caller bug or a hash collision. Overwrite, but say so.
      deps.logger?.warn({ bucket, key, stored: size, bytes: bytes.length }, 'r2: replacing object of a different size');
    }
    await upload(key, bytes, contentType, metadata);
    deps.logger?.info({ bucket, key, bytes: bytes.length }, 'r2: object stored');
    return { key, url: urlFor(key) };
  }

  async function get(key: string, signal?: AbortSignal): Promise<Buffer> {
    assertKey(key);
    try {
      const object = await getClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      if (!object.Body) throw new AdapterError(`R2 object ${key} has no body`, 'retryable');
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) throw new AdapterError(`R2 bucket "${bucket}" has no object ${key}`, 'bad_request', { cause: error });
      throw classifyR2Error(error, bucket, `read of ${key}`);
    }
  }

  async function check(signal?: AbortSignal): Promise<void> {
    const s3 = getClient();
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
    } catch (error) {
      if (isNotFound(error)) {
        throw new AdapterError(`R2 bucket "${bucket}" does not exist at ${endpoint}`, 'bad_request', { cause: error });
      }
      throw classifyR2Error(error, bucket, 'bucket check');
    }
    // HeadBucket only proves read access; the pipeline needs write and delete too.
    const probeKey = `.hero-desk-probe/${randomUUID()}`;
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: probeKey, Body: 'ok', ContentType: 'text/plain' }), {
        abortSignal: signal,
      });
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: probeKey }), { abortSignal: signal });
    } catch (error) {
      throw classifyR2Error(error, bucket, 'write probe');
    }
  }

  return { name: 'r2', put, get, urlFor, check };
}
