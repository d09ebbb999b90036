// Projects store rows into the board's Card shape (shared/domain.ts). Called for a snapshot
// and, per changed article, for each event — so the board never polls.
import type { Card, ScoreFlag } from '../../../shared/domain.ts';
import { ScoreFlagSchema } from '../../../shared/domain.ts';
import { attemptsFor } from '../store/attempts.ts';
import { getArticle, listBoardArticles, type ArticleRow } from '../store/articles.ts';
import { getImage, HERO_VARIANT, variantKeysOf } from '../store/images.ts';
import type { ImageStorage } from '../adapters/types.ts';
import { openJob } from '../store/jobs.ts';
import { newestPublication } from '../store/publications.ts';
import type { Store } from '../store/store.ts';

/** Where card image URLs come from: the storage as it is reachable now (keys are stored, not URLs). */
export type CardUrls = Pick<ImageStorage, 'urlFor'>;

export function cardFor(store: Store, urls: CardUrls, articleId: string): Card | null {
  const article = getArticle(store, articleId);
  return article ? project(store, urls, article) : null;
}

/** Published and rejected cards leave the board after this long; the database keeps them. */
const SETTLED_CARDS_SHOWN_MS = 3 * 24 * 60 * 60 * 1000;

export function allCards(store: Store, urls: CardUrls): Card[] {
  return listBoardArticles(store, store.now() - SETTLED_CARDS_SHOWN_MS).map((article) => project(store, urls, article));
}

function project(store: Store, urls: CardUrls, article: ArticleRow): Card {
  const image = article.current_image_id === null ? undefined : getImage(store, article.current_image_id);
  const heroKey = image ? variantKeysOf(image)[HERO_VARIANT] : undefined;
  const attempts = attemptsFor(store, article.id);
  const job = openJob(store, article.id, 'generate');
  const failedPublication = newestPublication(store, article.id)?.status === 'failed' && !openJob(store, article.id, 'publish');
  return {
    articleId: article.id,
    headline: article.headline,
    summary: article.summary,
    section: article.section,
    storyType: article.story_type,
    breaking: article.breaking === 1,
    tier: article.tier,
    policy: article.policy,
    stale: article.stale === 1,
    status: article.status,
    prompt: image?.prompt ?? article.prompt,
    promptOverride: article.prompt_override,
    image: image
      ? {
          url: urls.urlFor(image.storage_key),
          thumbUrl: urls.urlFor(image.thumb_key),
          width: image.width,
          height: image.height,
          provider: image.provider,
          model: image.model,
          contentHash: image.content_hash,
          publishedUrl: heroKey && article.status === 'published' ? urls.urlFor(heroKey) : null,
        }
      : null,
    score: image?.score ?? null,
    scoreReason: image?.score_reason ?? null,
    flags: image ? parseFlags(image.flags) : [],
    costUsd: roundCost(attempts.reduce((sum, attempt) => sum + attempt.cost_usd, 0)),
    attempts: attempts.filter((attempt) => attempt.step === 'generate').length,
    history: attempts.slice(-30).map((attempt) => ({
      provider: attempt.provider,
      model: attempt.model ?? '',
      outcome: attempt.outcome,
      detail: attempt.error,
      score: attempt.score,
      costUsd: attempt.cost_usd,
      at: attempt.finished_at,
    })),
    altText: image ? (image.alt_text ?? image.description) : null,
    lastError: article.last_error,
    canRetryPublication: failedPublication,
    version: article.version,
    deadlineAt: job?.deadline_at ?? null,
    createdAt: article.created_at,
    updatedAt: article.updated_at,
    undoUntil: undoUntil(store, article),
    reviewNote: article.review_note,
  };
}

/** While an approval's publication waits out its undo window, when that window closes. */
function undoUntil(store: Store, article: ArticleRow): number | null {
  if (article.status !== 'approved') return null;
  const job = openJob(store, article.id, 'publish');
  return job?.status === 'queued' && job.run_after > store.now() ? job.run_after : null;
}

function parseFlags(json: string): ScoreFlag[] {
  const parsed = ScoreFlagSchema.array().safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

function roundCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
