// Reports each article's meaningful states back to the source (AITable write-back): queued,
// generated, approved, published, failed, rejected. Driven by committed store changes; the
// write-back itself batches and retries in the background, so the pipeline never waits on it.
import type { ImageStorage, SourceStatusUpdate, SourceWriteBack } from '../adapters/types.ts';
import type { Logger } from '../log.ts';
import { getArticle } from '../store/articles.ts';
import { spendForArticle } from '../store/attempts.ts';
import { getImage, HERO_VARIANT, variantKeysOf } from '../store/images.ts';
import type { Store } from '../store/store.ts';

const REPORTED: Partial<Record<string, SourceStatusUpdate['status']>> = {
  pending: 'queued',
  generated: 'generated',
  approved: 'approved',
  published: 'published',
  failed: 'failed',
  rejected: 'rejected',
};

export function bridgeWriteBack(store: Store, storage: Pick<ImageStorage, 'urlFor'>, writeBack: SourceWriteBack, logger: Logger): () => void {
  const last = new Map<string, string>();
  return store.onChange((changes) => {
    for (const articleId of changes.articleIds) {
      const article = getArticle(store, articleId);
      const status = article ? REPORTED[article.status] : undefined;
      if (!article || !status) continue;
      const image = article.current_image_id === null ? undefined : getImage(store, article.current_image_id);
      const key = `${status}:${image?.id ?? ''}:${article.version}`;
      if (last.get(articleId) === key) continue;
      last.set(articleId, key);
      const heroKey = image ? (variantKeysOf(image)[HERO_VARIANT] ?? image.storage_key) : undefined;
      const imageUrl = heroKey ? storage.urlFor(heroKey) : undefined;
      const update: SourceStatusUpdate = {
        recordId: articleId,
        status,
        ...(imageUrl && status !== 'queued' ? { imageUrl } : {}),
        score: image?.score ?? null,
        costUsd: spendForArticle(store, articleId),
        ...(image?.description ? { altText: image.description } : {}),
      };
      if (status === 'published' && imageUrl) void attachImage(writeBack, update, imageUrl, logger);
      else writeBack.report(update);
    }
  });
}

/** The final image goes into the record's attachment cell too. */
async function attachImage(writeBack: SourceWriteBack, update: SourceStatusUpdate, url: string, logger: Logger): Promise<void> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} from ${url}`);
    const contentType = response.headers.get('content-type') ?? 'image/webp';
    const bytes = Buffer.from(await response.arrayBuffer());
    writeBack.report({ ...update, image: { bytes, contentType, filename: `${update.recordId}-hero.${contentType.split('/')[1] ?? 'img'}` } });
  } catch (error) {
    logger.warn({ err: error, recordId: update.recordId }, 'could not attach the image; reporting the URL only');
    writeBack.report(update);
  }
}
