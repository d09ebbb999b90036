// The safety gate at approval: an image that failed a check is not approved without the editor's
// reason. With one, the reason is kept on the image (the card and the AITable write-back show it)
// and logged with the checks it overrode; the approval commits in the same transaction.
import type { Tier } from '../../../shared/domain.ts';
import { requireArticle } from '../store/articles.ts';
import { getImage, setSafetyOverride } from '../store/images.ts';
import { ActionRefusedError, approveArticle, type ActionDeps } from './article-actions.ts';
import { failedChecks, safetyChecks } from './safety-checks.ts';

/** Approval refused by the safety gate; the message names the failed checks and the way through. */
export class SafetyGateError extends ActionRefusedError {
  constructor(message: string) {
    super(message);
    this.name = 'SafetyGateError';
  }
}

export interface GatedApproval {
  note: string;
  undoWindowMs: number;
  /** The editor's reason to publish an image that failed a check. */
  overrideReason?: string;
  minScore(tier: Tier): number;
  /** Told once an override is recorded (the core logs it). */
  onOverride?(articleId: string, reason: string, failed: string[]): void;
}

export function approveThroughGate(deps: ActionDeps, articleId: string, options: GatedApproval): void {
  const { store } = deps;
  store.transaction(() => {
    const article = requireArticle(store, articleId);
    const image = article.current_image_id === null ? undefined : getImage(store, article.current_image_id);
    if (image) {
      const flags = image.flags;
      const failed = failedChecks(
        safetyChecks({ flags, score: image.score, minScore: options.minScore(article.tier), photo: image.source === 'editor' }),
      );
      const reason = options.overrideReason?.trim();
      if (failed.length > 0 && !reason) {
        throw new SafetyGateError(
          `“${article.headline}” failed the safety gate (${failed.join('; ')}); to publish it anyway, approve with a reason (overrideReason)`,
        );
      }
      if (failed.length > 0 && reason) {
        setSafetyOverride(store, image, reason, failed);
        options.onOverride?.(articleId, reason, failed);
      }
    }
    approveArticle(
      deps,
      articleId,
      options.overrideReason ? `${options.note} (safety override: ${options.overrideReason.trim()})` : options.note,
      options.undoWindowMs,
    );
  });
}
