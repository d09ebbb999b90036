// The embedded scorer: no vision model, only the checks a machine can make for certain —
// the bytes decode, the size is what was asked for, and the image is not blank.
import sharp from 'sharp';
import { channelSpread, keptPixels } from '../../imaging/decoded.ts';
import { z } from 'zod';
import type { ScoreFlag } from '../../../../shared/domain.ts';
import type { ImageScorer, ScoreRequest, ScoreResult } from '../types.ts';
import { errorMessage } from '../../base/failures.ts';

export const LocalScorerConfigSchema = z.strictObject({
  /** Channel standard deviation (0–255) below which an image counts as blank. */
  blankStdevThreshold: z.number().positive().max(64).default(3),
  /** Score given when every check passes; there is no judgement of content, so not a 10. */
  passScore: z.number().min(1).max(10).default(8),
});
export type LocalScorerConfig = z.input<typeof LocalScorerConfigSchema>;

const SCORE_WRONG_SIZE = 5;
const SCORE_BLANK = 2;
const SCORE_BROKEN = 1;

export function createLocalScorer(config: LocalScorerConfig = {}): ImageScorer {
  const options = LocalScorerConfigSchema.parse(config);
  return {
    name: 'local',
    estimateCostUsd: () => 0,
    async score(request: ScoreRequest): Promise<ScoreResult> {
      request.signal.throwIfAborted();
      const base = { revisedPrompt: null, description: null, costUsd: 0 };
      let width = 0;
      let height = 0;
      let stdevs: number[];
      let invisible: boolean;
      try {
        const kept = await keptPixels(request.image);
        if (kept) {
          // the provider chain decoded every pixel already; the spread is read from its review
          // sample (imaging/decoded.ts): a blank picture is blank at 480 px too
          const spread = channelSpread(kept.sample);
          const hasAlpha = kept.sample.channels === 2 || kept.sample.channels === 4;
          width = kept.width;
          height = kept.height;
          stdevs = hasAlpha ? spread.stdevs.slice(0, -1) : spread.stdevs;
          invisible = hasAlpha && (spread.maxima.at(-1) ?? 255) < 8;
        } else {
          // stats() decodes every pixel, so truncated or corrupt files fail here, not later.
          const image = sharp(request.image, { failOn: 'error' });
          const [meta, stats] = await Promise.all([image.metadata(), image.stats()]);
          width = meta.autoOrient.width;
          height = meta.autoOrient.height;
          const colour = meta.hasAlpha ? stats.channels.slice(0, -1) : stats.channels;
          stdevs = colour.map((c) => c.stdev);
          // A fully transparent image has colour data nobody will see.
          invisible = meta.hasAlpha && (stats.channels.at(-1)?.max ?? 255) < 8;
        }
      } catch (error) {
        const why = errorMessage(error).split('\n')[0];
        return { ...base, score: SCORE_BROKEN, flags: ['blank_or_broken'], reason: `Image could not be decoded (${why}).`, width, height };
      }
      request.signal.throwIfAborted();

      const flags: ScoreFlag[] = [];
      const notes: string[] = [];
      let score = options.passScore;
      if (width !== request.expectedWidth || height !== request.expectedHeight) {
        flags.push('wrong_size');
        notes.push(`size ${width}×${height}, expected ${request.expectedWidth}×${request.expectedHeight}`);
        score = Math.min(score, SCORE_WRONG_SIZE);
      }
      const maxStdev = Math.max(...stdevs);
      if (maxStdev < options.blankStdevThreshold || invisible) {
        flags.push('blank_or_broken');
        notes.push(invisible ? 'image is fully transparent' : `image is blank (pixel variation ${maxStdev.toFixed(1)})`);
        score = Math.min(score, SCORE_BLANK);
      }
      const reason =
        flags.length === 0
          ? `Local checks passed: decodes, ${width}×${height} as requested, not blank. Content not judged (no vision model).`
          : `Local checks failed: ${notes.join('; ')}.`;
      return { ...base, score, flags, reason, width, height };
    },
  };
}
