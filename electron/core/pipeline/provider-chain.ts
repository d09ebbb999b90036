// Tries a tier's providers in order. Every call — made, failed, refused, timed out — becomes
// a costed attempt row, and the card's history says why each provider did not make the image.
import { AdapterError, type GeneratedImage, type GenerateRequest, type ImageProvider } from '../adapters/types.ts';
import { recordAttempt, type AttemptOutcome } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';
import { errorMessage } from '../failures.ts';
import { assertDecodes } from '../imaging/decode-check.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';

export interface ChainRequest extends Omit<GenerateRequest, 'signal'> {
  jobId: number;
  lane: string;
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
    const startedAt = store.now();
    const base = { jobId: request.jobId, articleId: request.articleId, lane: request.lane, step: 'generate' as const, provider: provider.name };
    try {
      const image = await provider.generate({ ...request, signal });
      await assertDecodes(image.bytes).catch((error: unknown) => {
        // paid for, but unusable: a retryable fault of this provider (the next one is tried)
        throw new AdapterError(`${provider.name}: the image it returned does not decode (${errorMessage(error)})`, 'retryable', { costUsd: image.costUsd, cause: error });
      });
      const attemptId = recordAttempt(store, {
        ...base,
        model: image.model,
        prompt: request.prompt,
        seed: image.seed ?? request.seed,
        startedAt,
        costUsd: image.costUsd,
        outcome: 'ok',
        error: image.detail ?? null,
      });
      resolveProblem(store, `provider:${provider.name}`);
      return { image, provider, attemptId };
    } catch (error) {
      const outcome: AttemptOutcome = signal.aborted
        ? 'timeout'
        : error instanceof AdapterError && error.kind === 'refused'
          ? 'refused'
          : 'error';
      const message = signal.aborted ? `interrupted (${String(signal.reason)})` : errorMessage(error);
      recordAttempt(store, {
        ...base,
        model: null,
        prompt: request.prompt,
        seed: request.seed,
        startedAt,
        costUsd: error instanceof AdapterError ? error.costUsd : 0,
        outcome,
        error: message,
      });
      if (signal.aborted) throw error;
      if (error instanceof AdapterError && error.kind === 'auth') {
        raiseProblem(store, { id: `provider:${provider.name}`, area: 'key', level: 'error', message: `${provider.name} refused its key: ${message}`, action: 'Set the key it names in Keys (or its environment variable); stories use the next provider meanwhile' });
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
