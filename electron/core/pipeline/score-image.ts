// Runs the scorers in order (the cheap local technical check first). The first score below the
// threshold decides: there is no point paying a vision model to grade a blank image.
import type { ImageScorer, ScoreResult } from '../adapters/types.ts';
import { recordAttempt } from '../store/attempts.ts';
import { resolveProblem } from '../store/problems.ts';
import type { Store } from '../store/store.ts';
import type { ScoreFlag } from '../../../shared/domain.ts';
import { errorMessage } from '../base/failures.ts';

export interface ScoreOutcome {
  score: number;
  reason: string;
  flags: ScoreFlag[];
  revisedPrompt: string | null;
  description: string | null;
  width: number;
  height: number;
  /** What every scorer call for this image cost together. */
  costUsd: number;
}

export async function scoreImage(
  store: Store,
  scorers: readonly ImageScorer[],
  request: Omit<Parameters<ImageScorer['score']>[0], 'signal'>,
  context: { jobId: number; articleId: string; lane: string; minScore: number; prompt: string },
  signal: AbortSignal,
): Promise<ScoreOutcome> {
  let last: ScoreResult | null = null;
  const flags = new Set<ScoreFlag>();
  const reasons: string[] = [];
  let costUsd = 0;
  for (const scorer of scorers) {
    const startedAt = store.now();
    const record = (fields: { costUsd: number; outcome: 'ok' | 'low_score' | 'error' | 'timeout'; error: string; score?: number }) =>
      recordAttempt(store, {
        ...fields,
        jobId: context.jobId,
        articleId: context.articleId,
        lane: context.lane,
        step: 'score',
        provider: scorer.name,
        model: null,
        prompt: context.prompt,
        seed: null,
        startedAt,
      });
    const result = await scorer.score({ ...request, signal }).catch((error: unknown) => {
      record({ costUsd: 0, outcome: signal.aborted ? 'timeout' : 'error', error: errorMessage(error) });
      throw error;
    });
    record({
      costUsd: result.costUsd,
      outcome: result.score >= context.minScore ? 'ok' : 'low_score',
      error: result.reason,
      score: result.score,
    });
    costUsd += result.costUsd;
    resolveProblem(store, `scorer:${scorer.name}`);
    for (const flag of result.flags) flags.add(flag);
    reasons.push(result.reason);
    last = result;
    if (result.score < context.minScore) break;
  }
  if (!last) throw new Error('no scorer configured');
  return {
    score: last.score,
    reason: last.reason,
    flags: [...flags],
    revisedPrompt: last.revisedPrompt,
    description: last.description,
    width: last.width,
    height: last.height,
    costUsd,
  };
}
