// Projects store rows into the board's Card shape (shared/domain.ts). Called for a snapshot
// and, per changed article, for each event — so the board never polls. A snapshot projects
// thousands of articles, so it reads each table once for the whole page (board-rows.ts) instead
// of a handful of queries per card.
import { SETTLED_COLUMNS, SETTLED_WINDOW, type Card, type SettledColumn, type Tier } from '../../../shared/domain.ts';
import { getArticle, type ArticleRow } from '../store/articles.ts';
import { HERO_VARIANT, variantKeysOf, type ImageRow } from '../store/images.ts';
import type { ImageStorage } from '../adapters/types.ts';
import type { Store } from '../store/store.ts';
import { TIER_DEFAULTS } from '../config/schema.ts';
import { materialHash } from '../adapters/content-hash.ts';
import { activeEmbargo } from '../pipeline/embargo-time.ts';
import { safetyChecks } from '../pipeline/safety-checks.ts';
import { decisionsFor } from './attribution.ts';
import { revisionsOf } from '../store/revisions.ts';
import {
  boardRowsFor,
  countSettledBefore,
  listOpenArticles,
  listSettledArticles,
  type BoardRows,
  type SettledCursor,
} from '../store/board-rows.ts';

/** Where card image URLs come from: the storage as it is reachable now (keys are stored, not URLs). */
export type CardUrls = Pick<ImageStorage, 'urlFor'>;

/** Time-to-image per tier (the tier's deadline), in ms; null = no deadline. */
export type DueWithin = Record<Tier, number | null>;

export const DEFAULT_DUE_WITHIN: DueWithin = dueWithinOf(TIER_DEFAULTS);

/** What a card needs from the running config besides the store: the safety gate's pass marks and the cost forecast. */
export interface CardGate {
  // function properties, not methods: callers pass them on detached (`gate.minScore`)
  minScore: (tier: Tier) => number;
  /** One image on this tier, from the price table (pipeline/cost-forecast.ts); null = unknown. */
  estimateUsd: (tier: Tier) => number | null;
}

const NO_DECISIONS = { approved: null, rejected: null, retracted: null, promptEdited: null } as const;

export const DEFAULT_GATE: CardGate = { minScore: (tier) => TIER_DEFAULTS[tier].minScore, estimateUsd: () => null };

export function dueWithinOf(tiers: Record<Tier, { deadlineSeconds: number | null }>): DueWithin {
  const ms = (tier: Tier) => (tiers[tier].deadlineSeconds === null ? null : tiers[tier].deadlineSeconds * 1000);
  return { breaking: ms('breaking'), regular: ms('regular'), default: ms('default') };
}

export function cardFor(
  store: Store,
  urls: CardUrls,
  articleId: string,
  due: DueWithin = DEFAULT_DUE_WITHIN,
  gate: CardGate = DEFAULT_GATE,
): Card | null {
  const article = getArticle(store, articleId);
  return article ? projectAll(store, urls, [article], due, gate)[0]! : null;
}

export interface BoardPage {
  cards: Card[];
  /** Settled cards left out per column. */
  older: Record<SettledColumn, number>;
}

/** What the board opens with: everything in play, and the newest SETTLED_WINDOW of each settled column. */
export function boardCards(store: Store, urls: CardUrls, due: DueWithin = DEFAULT_DUE_WITHIN, gate: CardGate = DEFAULT_GATE): BoardPage {
  const articles = listOpenArticles(store);
  const older = {} as Record<SettledColumn, number>;
  for (const column of SETTLED_COLUMNS) {
    const page = listSettledArticles(store, column, null, SETTLED_WINDOW);
    articles.push(...page);
    const last = page.at(-1);
    older[column] = last ? countSettledBefore(store, column, { updatedAt: last.updated_at, articleId: last.id }) : 0;
  }
  return { cards: projectAll(store, urls, articles, due, gate), older };
}

/** The page of a settled column older than `before`, and how many are older still. */
export function olderCards(
  store: Store,
  urls: CardUrls,
  column: SettledColumn,
  before: SettledCursor,
  limit: number,
  due: DueWithin = DEFAULT_DUE_WITHIN,
  gate: CardGate = DEFAULT_GATE,
): { cards: Card[]; remaining: number } {
  const page = listSettledArticles(store, column, before, limit);
  const last = page.at(-1);
  const remaining = last ? countSettledBefore(store, column, { updatedAt: last.updated_at, articleId: last.id }) : 0;
  return { cards: projectAll(store, urls, page, due, gate), remaining };
}

function projectAll(store: Store, urls: CardUrls, articles: ArticleRow[], due: DueWithin, gate: CardGate): Card[] {
  const rows = boardRowsFor(store, articles);
  const ids = articles.map((article) => article.id);
  const decisions = decisionsFor(store, ids);
  const revisions = revisionsOf(store, ids);
  const now = store.now();
  return articles.map((article) => ({
    ...project(urls, article, rows, due, gate, now),
    decisions: decisions.get(article.id) ?? NO_DECISIONS,
    revision: revisions.get(article.id) ?? 0,
  }));
}

function project(urls: CardUrls, article: ArticleRow, rows: BoardRows, due: DueWithin, gate: CardGate, now: number): Card {
  const image: ImageRow | undefined = article.current_image_id === null ? undefined : rows.images.get(article.current_image_id);
  const heroKey = image ? variantKeysOf(image)[HERO_VARIANT] : undefined;
  const attempts = rows.attempts.get(article.id) ?? [];
  const job = rows.generateJobs.get(article.id);
  const publication = rows.newestPublication.get(article.id);
  const failedPublication = publication?.status === 'failed' && !rows.publishJobs.has(article.id);
  const dueWithin = due[article.routed_tier];
  return {
    articleId: article.id,
    headline: article.headline,
    summary: article.summary,
    section: article.section,
    storyType: article.story_type,
    breaking: article.breaking,
    tier: article.tier,
    policy: article.policy,
    stale: isStale(article, rows),
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
    flags: image ? image.flags : [],
    checks: image
      ? safetyChecks({ flags: image.flags, score: image.score, minScore: gate.minScore(article.tier), photo: image.source === 'editor' })
      : [],
    safetyOverride: image?.safety_override ?? null,
    estimatedCostUsd: gate.estimateUsd(article.tier),
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
      step: attempt.step as 'generate' | 'score' | 'prompt',
      seed: attempt.step === 'generate' ? attempt.seed : null,
      // a check's row repeats the prompt of the image it graded: only the generation call carries it
      prompt: attempt.step === 'score' ? null : attempt.prompt,
      budgetOverride: attempt.budget_override,
    })),
    altText: image ? (image.alt_text ?? image.description) : null,
    lastError: article.last_error,
    canRetryPublication: failedPublication,
    version: article.version,
    deadlineAt: job?.deadline_at ?? null,
    createdAt: article.created_at,
    updatedAt: article.updated_at,
    undoUntil: undoUntil(now, article, rows),
    embargoUntil: embargoShown(now, article),
    reviewNote: article.review_note,
    upgrade: rows.upgradeJobs.has(article.id)
      ? 'on_the_way'
      : article.upgrade_image_id !== null && article.upgrade_image_id !== article.current_image_id
        ? 'ready'
        : null,
    dueAt: dueWithin === null ? null : article.created_at + dueWithin,
    retraction:
      publication?.kind === 'retract'
        ? {
            reason: rows.retractReasons.get(article.id) ?? 'pulled by an editor',
            at: publication.created_at,
            delivered: publication.status === 'published',
          }
        : null,
  };
}

/** While an approval's publication waits out its undo window, when that window closes (an embargo's wait is not one). */
function undoUntil(now: number, article: ArticleRow, rows: BoardRows): number | null {
  if (article.status !== 'approved') return null;
  const job = rows.publishJobs.get(article.id);
  if (job?.status !== 'queued' || job.run_after <= now) return null;
  const embargo = activeEmbargo(article, now);
  return embargo !== null && embargo >= job.run_after ? null : job.run_after;
}

/** An embargo still ahead, for a story that has not gone out (nor been dropped). */
function embargoShown(now: number, article: ArticleRow): number | null {
  if (article.status === 'publishing' || article.status === 'published' || article.status === 'rejected') return null;
  return activeEmbargo(article, now);
}

/**
 * Readers have an image made for an older version of the story. Derived from that image, so it
 * clears only when a new one reaches them (not when it is merely made or approved). Images from
 * before this was recorded fall back to the flag ingest sets.
 */
function isStale(article: ArticleRow, rows: BoardRows): boolean {
  if (!rows.readersImageMadeFor.has(article.id)) return false;
  const madeFor = rows.readersImageMadeFor.get(article.id) ?? null;
  return madeFor === null ? article.stale : madeFor !== materialHash(article);
}

function roundCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
