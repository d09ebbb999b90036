// Tries a tier's providers in order. Every call — made, failed, refused, timed out — becomes
// a costed attempt row, and the card's history says why each provider did not make the image.
// The row is written as begun before the call (with its estimated cost) and finished after it, so a
// call cut off by a crash is still found and counted (store/attempts.ts markInterruptedAttempts).
import { AdapterError, type GeneratedImage, type GenerateRequest, type ImageProvider } from '../adapters/types.ts';
import { beginAttempt, finishAttempt, type AttemptOutcome } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';
import { errorMessage } from '../base/failures.ts';
import { assertDecodes } from '../imaging/decode-check.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';

export interface ChainRequest extends Omit<GenerateRequest, 'signal'> {
  jobId: number;
  lane: string;
  /** The job runs past its tier's daily budget: who or what let it (recorded on each call). */
  budgetOverride?: string | null;
}

export interface ChainResult {
  image: GeneratedImage;
  provider: ImageProvider;
  attemptId: number;
}

/** Every provider in the chain failed; `retryable` when at least one may succeed later. */
export class ChainFailedError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  constructor(message: string, retryable: boolean, retryAfterMs: number | null) {
    super(message);
    this.name = 'ChainFailedError';
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

export async function generateViaChain(
  store: Store,
  chain: readonly ImageProvider[],
  request: ChainRequest,
  signal: AbortSignal,
): Promise<ChainResult> {
  const failures: string[] = [];
  let retryable = false;
  let retryAfterMs: number | null = null;
  for (const provider of chain) {
    const attemptId = beginAttempt(store, {
      jobId: request.jobId,
      articleId: request.articleId,
      lane: request.lane,
      step: 'generate',
      provider: provider.name,
      model: null,
      prompt: request.prompt,
      seed: request.seed,
      startedAt: store.now(),
      estimatedUsd: provider.estimateCostUsd?.({ tier: request.tier, width: request.width, height: request.height }) ?? null,
      budgetOverride: request.budgetOverride ?? null,
    });
    const finish = (fields: { model: string | null; seed: number; costUsd: number; outcome: AttemptOutcome; error: string | null }) =>
      finishAttempt(store, attemptId, { ...fields, articleId: request.articleId, provider: provider.name });
    try {
      const image = await provider.generate({ ...request, signal });
      await assertDecodes(image.bytes).catch((error: unknown) => {
        // paid for, but unusable: a retryable fault of this provider (the next one is tried)
        throw new AdapterError(`${provider.name}: the image it returned does not decode (${errorMessage(error)})`, 'retryable', {
          costUsd: image.costUsd,
          cause: error,
        });
      });
      finish({ model: image.model, seed: image.seed ?? request.seed, costUsd: image.costUsd, outcome: 'ok', error: image.detail ?? null });
      resolveProblem(store, `provider:${provider.name}`);
      return { image, provider, attemptId };
    } catch (error) {
      const outcome: AttemptOutcome = signal.aborted
        ? 'timeout'
        : error instanceof AdapterError && error.kind === 'refused'
          ? 'refused'
          : 'error';
      const message = signal.aborted ? `interrupted (${String(signal.reason)})` : errorMessage(error);
      finish({ model: null, seed: request.seed, costUsd: error instanceof AdapterError ? error.costUsd : 0, outcome, error: message });
      if (signal.aborted) throw error;
      if (error instanceof AdapterError && error.kind === 'auth') {
        raiseProblem(store, {
          id: `provider:${provider.name}`,
          area: 'key',
          level: 'error',
          message: `${provider.name} refused its key: ${message}`,
          action: 'Set the key it names in Keys (or its environment variable); stories use the next provider meanwhile',
        });
      }
      failures.push(`${provider.name}: ${message}`);
      if (!(error instanceof AdapterError) || error.kind === 'retryable') {
        retryable = true;
        if (error instanceof AdapterError && error.retryAfterMs !== null) retryAfterMs = Math.max(retryAfterMs ?? 0, error.retryAfterMs);
      }
    }
  }
  throw new ChainFailedError(failures.join('; ') || 'no providers configured', retryable, retryAfterMs);
}
