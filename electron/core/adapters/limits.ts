// Per-provider concurrency and rate limits (config: "concurrency", "ratePerMinute" on a
// provider entry). The queue's lanes limit jobs per tier; these protect each provider, which
// may serve several tiers, from more calls than its plan allows. Counted per process, or, given a
// SharedLimiter, in the store for every process on it.
import pLimit from 'p-limit';
import pThrottle from 'p-throttle';
import { z } from 'zod';
import type { GenerateRequest, ImageProvider } from './types.ts';

export const ProviderLimitsSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(64).optional(),
  ratePerMinute: z.number().int().min(1).max(10_000).optional(),
});
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

/**
 * Limits counted outside this process (in the store: app/provider-limits.ts), so the desk and its
 * workers share them. Resolves to the release once a call may start; rejects when `signal` aborts.
 */
export interface SharedLimiter {
  acquire(provider: string, limits: ProviderLimits, signal: AbortSignal): Promise<() => void>;
}

export function withLimits(provider: ImageProvider, limits: ProviderLimits, shared?: SharedLimiter): ImageProvider {
  if (!limits.concurrency && !limits.ratePerMinute) return provider;
  let call = (request: GenerateRequest) => provider.generate(request);
  if (shared) {
    call = async (request) => {
      const release = await shared.acquire(provider.name, limits, request.signal);
      try {
        return await provider.generate(request);
      } finally {
        release();
      }
    };
  } else if (limits.ratePerMinute) {
    const throttle = pThrottle({ limit: limits.ratePerMinute, interval: 60_000 });
    call = throttle(call);
  }
  if (!shared && limits.concurrency) {
    const limit = pLimit(limits.concurrency);
    const throttled = call;
    call = (request) => limit(() => throttled(request));
  }
  return {
    name: provider.name,
    synthetic: provider.synthetic,
    generate: (request) => {
      request.signal.throwIfAborted();
      return call(request);
    },
    check: provider.check?.bind(provider),
    estimateCostUsd: provider.estimateCostUsd?.bind(provider),
  };
}
