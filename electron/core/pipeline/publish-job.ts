// The publish job drains the outbox: prepare the web assets, then tell the publisher. The
// publication's idempotency key and version are fixed when the row is written, so a retry
// after a crash or a relay outage delivers the same message again — readers dedupe it.
import type { PublicationMessage } from '../adapters/types.ts';
import { requireArticle, transition, updateArticle, type ArticleRow } from '../store/articles.ts';
import { materialHash } from '../adapters/content-hash.ts';
import { queueGeneration } from './article-actions.ts';
import { getImage, HERO_VARIANT, setImageVariants, type ImageRow, type VariantsRecipe } from '../store/images.ts';
import type { JobRow } from '../store/jobs.ts';
import { resolveProblem } from '../store/problems.ts';
import { getPublication, markPublicationFailed, markPublished, type PublicationRow } from '../store/publications.ts';
import type { JobContext, JobHandler } from '../queue/engine.ts';
import type { JobOutcome } from '../queue/outcome.ts';
import type { PipelineDeps } from './deps.ts';
import { watched, WATCHED_PROBLEMS } from './watched.ts';

export interface PublicationAssets {
  /** Variant name (e.g. "hero.webp") → storage key. */
  variantKeys: Record<string, string>;
  altText: string;
  credit: string;
  /** What the variants were made with (crop centre, alt text, credit): kept with them (setImageVariants). */
  recipe?: VariantsRecipe;
  /** True when the variants were made by this call (false: reused from an earlier publication). */
  fresh: boolean;
}

/** Turns an approved image into what readers load (variants on the CDN, alt text, credit). */
export type AssetPreparer = (
  image: ImageRow,
  headline: string,
  signal: AbortSignal,
  options?: BackgroundOptions,
) => Promise<PublicationAssets>;

/** For variants made ahead of an approval (publish-ready.ts): slower, and out of the way. */
export interface BackgroundOptions {
  background?: boolean;
  yieldTo?: () => Promise<void>;
}

export function createPublishHandler(deps: PipelineDeps, prepareAssets: AssetPreparer): JobHandler {
  return {
    run: (context) => runPublish(deps, prepareAssets, context),
    onFailed: (job, error) => givenUp(deps, job, error),
  };
}

/**
 * A publication that failed for good leaves no card in a transient state: a publish goes back to
 * Approved with the reason, a retraction says readers still see the image; both offer a retry.
 */
function givenUp(deps: PipelineDeps, job: JobRow, error: string): void {
  const { store } = deps;
  const publication = job.publication_id === null ? undefined : getPublication(store, job.publication_id);
  if (publication?.status === 'cancelled') return; // withdrawn on purpose (a regenerate): nothing failed
  if (publication) markPublicationFailed(store, publication.id);
  const article = requireArticle(store, job.article_id);
  const retract = publication?.kind === 'retract';
  if (article.status === 'publishing') transition(store, article.id, 'approved', 'publishing failed');
  const reason = retract ? `Retraction failed: readers may still see the image. ${error}` : `Publishing failed: ${error}`;
  updateArticle(store, article.id, { last_error: reason }, 'error');
  store.notice('error', `${reason} — use Retry on the card once it is fixed`, article.id);
  deps.logger.warn(
    { articleId: article.id },
    `${retract ? 'retraction' : 'publication'} of “${article.headline}” failed for good: ${error}`,
  );
}

async function runPublish(deps: PipelineDeps, prepareAssets: AssetPreparer, context: JobContext): Promise<JobOutcome> {
  const { job, signal } = context;
  if (job.publication_id === null) return { type: 'fail', error: 'publish job without a publication' };
  const publication = getPublication(deps.store, job.publication_id);
  if (!publication || publication.status === 'cancelled') return { type: 'fail', error: 'publication was withdrawn' };
  const article = requireArticle(deps.store, job.article_id);
  if (publication.kind === 'publish' && article.status === 'approved') {
    context.step(() => transition(deps.store, article.id, 'publishing'));
  }
  const image = publication.image_id === null ? undefined : getImage(deps.store, publication.image_id);
  if (publication.kind === 'publish' && !image) return { type: 'fail', error: 'the approved image is missing' };
  // a retraction only needs to reach readers: no variants to make first
  const assets =
    image && publication.kind === 'publish'
      ? await watched(deps, context, 'storage', () => prepareAssets(image, article.headline, signal))
      : null;
  // keep fresh variants at once, so a retry after a publisher outage does not encode them again
  if (image && assets?.fresh) context.step(() => setImageVariants(deps.store, image.id, assets.variantKeys, assets.recipe ?? null));
  const urlOf = (key: string) => deps.storage.urlFor(key);
  const heroKey = assets ? (assets.variantKeys[HERO_VARIANT] ?? image?.storage_key) : undefined;
  const message: PublicationMessage = {
    kind: publication.kind,
    articleId: article.id,
    version: publication.version,
    idempotencyKey: publication.idempotency_key,
    headline: article.headline,
    summary: article.summary,
    section: article.section,
    imageUrl: heroKey ? urlOf(heroKey) : null,
    variants: assets ? Object.fromEntries(Object.entries(assets.variantKeys).map(([name, key]) => [name, urlOf(key)])) : undefined,
    altText: assets?.altText ?? article.headline,
    credit: assets?.credit ?? '',
    publishedAt: publication.created_at,
  };
  await watched(deps, context, 'publisher', () => deps.publisher.publish(message, signal));
  return {
    type: 'done',
    effect: () => {
      const current = requireArticle(deps.store, article.id);
      markPublished(deps.store, publication.id);
      resolveProblem(deps.store, WATCHED_PROBLEMS.storage);
      resolveProblem(deps.store, WATCHED_PROBLEMS.publisher);
      if (current.last_error !== null) updateArticle(deps.store, article.id, { last_error: null }, 'error');
      if (publication.kind === 'publish' && current.status === 'publishing') transition(deps.store, article.id, 'published');
      deps.store.logEvent(publication.kind === 'publish' ? 'published' : 'retracted', article.id, { version: publication.version });
      if (publication.kind === 'publish' && changedInFlight(publication, current)) regenerateAfterPublish(deps, current);
      deps.logger.info(
        { articleId: article.id, version: publication.version, publisher: deps.publisher.name },
        `${publication.kind === 'publish' ? 'published' : 'retracted'}: “${article.headline}”`,
      );
    },
  };
}

/** The story was rewritten (materially) after this publication was written: readers got an image made for the old text. */
function changedInFlight(publication: PublicationRow, article: ArticleRow): boolean {
  return publication.article_hash !== null && publication.article_hash !== materialHash(article);
}

/**
 * An edit that arrived while the image was on its way. The publication is not pulled back (readers
 * had an approved image a moment ago and still have one), but an editor on deadline expects the
 * rewrite to get its own image without having to spot a badge: a new one is made at once and waits
 * for review, exactly as for an edit after publication, and the notice says so. The card stays
 * stale until that image reaches readers.
 */
function regenerateAfterPublish(deps: PipelineDeps, article: ArticleRow): void {
  queueGeneration(deps, article.id, { editorRequested: false, note: 'story changed while it was being published' });
  deps.store.notice(
    'warn',
    `“${article.headline}” changed while its image was being published: readers have the old image until a new one, being made now, is approved`,
    article.id,
  );
  deps.logger.info({ articleId: article.id }, `“${article.headline}” changed while publishing; regenerating`);
}
