import { expect } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';

/** Awaits a promise that must reject with `type` (AdapterError by default) and returns the error. */
export async function rejection<T extends Error = AdapterError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T = AdapterError as unknown as abstract new (...args: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}
