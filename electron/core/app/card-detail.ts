// The drawer's on-demand view of one story: every image made or supplied for it (the candidates,
// with what each cost and why it scored what it did) and every prompt sent, by attempt. Loaded
// when the drawer opens or its card changes, so card events stay small.
import type { Candidate, CardDetail, PromptUse } from '../../../shared/domain.ts';
import { requireArticle } from '../store/articles.ts';
import { generateAttemptsFor, type GenerateAttemptRow } from '../store/attempts.ts';
import { focalPointOf, imagesForArticle, type ImageRow } from '../store/images.ts';
import type { Store } from '../store/store.ts';
import { altTextOf, creditOf, imageKind } from '../pipeline/image-facts.ts';
import type { CardUrls } from './cards.ts';
import { promptSubject } from '../prompt/build-prompt.ts';

export function cardDetail(store: Store, urls: CardUrls, site: string | null, articleId: string): CardDetail {
  return store.transaction(() => {
    const article = requireArticle(store, articleId);
    const attempts = generateAttemptsFor(store, articleId);
    const attemptOfImage = new Map<number, number>();
    attempts.forEach((attempt, index) => {
      if (attempt.image_id !== null) attemptOfImage.set(attempt.image_id, index + 1);
    });
    const images = imagesForArticle(store, articleId);
    const current = images.find((image) => image.id === article.current_image_id);
    const suggestion = current?.revised_prompt?.trim() || null;
    return {
      articleId,
      candidates: images.map((image) =>
        candidate(image, article.headline, site, urls, image.id === article.current_image_id, attemptOfImage.get(image.id) ?? null),
      ),
      prompts: promptUses(attempts),
      suggestedPrompt: suggestion && suggestion !== article.prompt_override ? suggestion : null,
    };
  });
}

function candidate(
  image: ImageRow,
  headline: string,
  site: string | null,
  urls: CardUrls,
  current: boolean,
  attempt: number | null,
): Candidate {
  return {
    imageId: image.id,
    current,
    source: image.source,
    aiGenerated: imageKind(image) === 'ai',
    url: urls.urlFor(image.storage_key),
    thumbUrl: urls.urlFor(image.thumb_key),
    width: image.width,
    height: image.height,
    provider: image.provider,
    model: image.model,
    prompt: image.prompt,
    seed: image.source === 'editor' ? null : image.seed,
    score: image.score,
    scoreReason: image.score_reason,
    flags: image.flags,
    costUsd: image.cost_usd,
    revisedPrompt: image.revised_prompt,
    attempt,
    altText: altTextOf(image, headline),
    altTextOverride: image.alt_text,
    credit: creditOf(image, site),
    creditOverride: image.credit,
    focalPoint: focalPointOf(image) ?? null,
    fileName: image.file_name,
    createdAt: image.created_at,
  };
}

/** Each distinct prompt once, in the order first used, with every attempt that sent it. */
function promptUses(attempts: readonly GenerateAttemptRow[]): PromptUse[] {
  const byPrompt = new Map<string, PromptUse>();
  attempts.forEach((attempt, index) => {
    if (!attempt.prompt) return;
    const use = byPrompt.get(attempt.prompt);
    if (use) {
      use.attempts.push(index + 1);
      use.lastUsedAt = attempt.finished_at;
    } else {
      byPrompt.set(attempt.prompt, {
        prompt: attempt.prompt,
        subject: promptSubject(attempt.prompt),
        attempts: [index + 1],
        firstUsedAt: attempt.finished_at,
        lastUsedAt: attempt.finished_at,
      });
    }
  });
  return [...byPrompt.values()];
}
