// Shared bits for provider tests: a request builder, an in-memory secret store, error assertions.
import sharp from 'sharp';
import { expect } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import type { AdapterErrorKind, GenerateRequest, SecretStore } from '../../electron/core/adapters/types.ts';

export function secrets(values: Record<string, string>): SecretStore {
  return { get: (name) => values[name] };
}

export function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    articleId: 'rec-001',
    tier: 'regular',
    prompt: 'A calm watercolour of a harbour at dawn',
    negativePrompt: 'text, watermark',
    seed: 4242,
    width: 1792,
    height: 1024,
    headline: 'Harbour reopens',
    section: 'Business',
    signal: new AbortController().signal,
    ...overrides,
  };
}

export async function expectAdapterError(promise: Promise<unknown>, kind: AdapterErrorKind): Promise<AdapterError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an AdapterError of kind ${kind}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdapterError);
  expect((error as AdapterError).kind).toBe(kind);
  return error as AdapterError;
}

/** Expect the caller's own abort reason back, untouched. */
export async function expectAborted(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeInstanceOf(AdapterError);
  expect((error as Error).name).toBe('AbortError');
}

export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width, height: meta.height, format: meta.format };
}

/** A port nothing listens on: bind one, remember it, close it. */
export async function deadUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
