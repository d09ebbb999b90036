// Publish-ready before approval: as soon as a story's image is ready for review, its web variants
// are made and uploaded in the background (content-addressed keys: readers see nothing until a
// publication names them), so an approval only writes the outbox row and the publisher sends.
// Best effort by design: when this has not finished, or failed, the publish job makes them
// itself (and waits for one already under way rather than encoding twice).
import pLimit from 'p-limit';
import type { Logger } from '../base/log.ts';
import { articleIdsWithStatus, getArticle } from '../store/articles.ts';
import { getImage, setImageVariants, variantKeysOf, type ImageRow } from '../store/images.ts';
import type { Store } from '../store/store.ts';
import { errorMessage } from '../base/failures.ts';
import { recipeKey, sameRecipe, variantsRecipe } from './image-facts.ts';
import { SupersededError } from './publication-assets.ts';
import type { AssetPreparer } from './publish-job.ts';

export interface PublishReadyOptions {
  store: Store;
  prepareAssets: AssetPreparer;
  site: string | null;
  logger: Logger;
}

export interface PublishReady {
  /** Resolves once nothing is being prepared (tests, benchmarks). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const YIELD_MAX_MS = 3_000;
const YIELD_POLL_MS = 50;

/** A card an editor may approve next: in review, or approved and waiting out its undo window. */
const READY_FOR_REVIEW = ['generated', 'approved'] as const;

export function startPublishReady({ store, prepareAssets, site, logger }: PublishReadyOptions): PublishReady {
  // one story at a time: each already keeps every core busy (imaging/variants.ts)
  const limit = pLimit(1);
  const controller = new AbortController();
  const queued = new Set<string>();
  const running = new Set<Promise<void>>();

  /** The image to prepare, when its variants are missing or were made with other crops or credits. */
  const needed = (articleId: string): { image: ImageRow; headline: string; key: string } | null => {
    const article = getArticle(store, articleId);
    if (!article || article.current_image_id === null || !(READY_FOR_REVIEW as readonly string[]).includes(article.status)) return null;
    const image = getImage(store, article.current_image_id);
    if (!image) return null;
    const recipe = variantsRecipe(image, article.headline, site);
    if (Object.keys(variantKeysOf(image)).length > 0 && sameRecipe(image.variants_made_with, recipe)) return null;
    return { image, headline: article.headline, key: `${image.id}:${recipeKey(recipe)}` };
  };

  /**
   * Waits while a card is being scored (its provider has answered; an editor waits for that card),
   * but no longer than YIELD_MAX_MS per image, so a steady stream of stories still gets prepared.
   */
  let yieldedSince = 0;
  const stepAside = async (): Promise<void> => {
    yieldedSince ||= Date.now();
    while (!controller.signal.aborted && Date.now() - yieldedSince < YIELD_MAX_MS && articleIdsWithStatus(store, 'scoring').length > 0) {
      await new Promise((resolve) => setTimeout(resolve, YIELD_POLL_MS));
    }
  };

  const prepare = async (articleId: string, key: string): Promise<void> => {
    yieldedSince = 0;
    queued.delete(key);
    const wanted = needed(articleId); // the editor may have moved on (or approved and published) meanwhile
    if (!wanted || wanted.key !== key || controller.signal.aborted) return;
    try {
      const assets = await prepareAssets(wanted.image, wanted.headline, controller.signal, { background: true, yieldTo: stepAside });
      if (assets.fresh) store.transaction(() => setImageVariants(store, wanted.image.id, assets.variantKeys, assets.recipe ?? null));
    } catch (error) {
      if (controller.signal.aborted || error instanceof SupersededError) return; // stopping, or an approval took over
      // not a problem for the editor: the publish job makes the variants at approval instead
      logger.warn(
        { articleId, err: error },
        `could not prepare the web variants ahead of approval (${errorMessage(error)}); they will be made when it is approved`,
      );
    }
  };

  const consider = (articleId: string): void => {
    let wanted;
    try {
      wanted = needed(articleId);
    } catch (error) {
      logger.warn({ articleId, err: error }, 'could not check whether the web variants are ready');
      return;
    }
    if (!wanted || queued.has(wanted.key)) return;
    queued.add(wanted.key);
    const key = wanted.key;
    const work = limit(() => prepare(articleId, key)).finally(() => running.delete(work));
    running.add(work);
  };

  const unsubscribe = store.onChange((changes) => {
    if (controller.signal.aborted) return;
    for (const articleId of changes.articleIds) consider(articleId);
  });
  // cards already in review when the app starts (made by an earlier run)
  const startup = setImmediate(() => {
    try {
      for (const status of READY_FOR_REVIEW) for (const id of articleIdsWithStatus(store, status)) consider(id);
    } catch (error) {
      logger.warn({ err: error }, 'could not look for cards to prepare');
    }
  });

  const idle = async (): Promise<void> => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };
  return {
    idle,
    async stop() {
      clearImmediate(startup);
      unsubscribe();
      controller.abort(); // what is still queued returns at once
      await idle();
    },
  };
}
