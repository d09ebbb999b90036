// What readers load for an approved image: web variants (hero 16:9, Open Graph, square,
// thumbnail; WebP/AVIF/JPEG) cropped around the focal point, with AI-disclosure XMP for
// generated images, under content-addressed keys (a retried publish re-uploads nothing new).
// The provider's untouched original (and any C2PA manifest in it) stays at its own key.
import pLimit from 'p-limit';
import type { ImageStorage } from '../adapters/types.ts';
import { altTextFor, captionCredit } from '../imaging/disclosure.ts';
import { makeVariants, variantKey, type Variant } from '../imaging/variants.ts';
import { variantKeysOf } from '../store/images.ts';
import type { AssetPreparer } from './publish-job.ts';

export interface AssetOptions {
  storage: ImageStorage;
  /** Publication name for credit lines, e.g. "The Harbour Herald". */
  site: string | null;
}

/** Encoded variants of the last few images, so a retry after a storage fault does not encode them again. */
const ENCODED_KEPT = 4;

export function createVariantAssets({ storage, site }: AssetOptions): AssetPreparer {
  const encoded = new Map<number, Variant[]>();
  return async (image, headline, signal) => {
    const synthetic = image.synthetic === 1;
    const altText = altTextFor(image.description, headline);
    const credit = captionCredit({ name: image.provider, synthetic }, image.model, site);
    // made for an earlier publication of this image (a republish, a retry after the publisher failed)
    const made = variantKeysOf(image);
    if (Object.keys(made).length > 0) return { variantKeys: made, altText, credit, fresh: false };

    let variants = encoded.get(image.id);
    if (!variants) {
      const original = await storage.get(image.storage_key, signal);
      variants = await makeVariants(original, {
        disclosure: synthetic ? undefined : { model: image.model, provider: image.provider, prompt: image.prompt, site, altText },
      });
      encoded.set(image.id, variants);
      if (encoded.size > ENCODED_KEPT) encoded.delete(encoded.keys().next().value!);
    }
    signal.throwIfAborted();
    const upload = pLimit(4);
    const stored = await Promise.all(
      variants.map((variant) =>
        upload(async () => {
          const object = await storage.put(variantKey(image.article_id, variant), variant.bytes, variant.contentType);
          return [`${variant.name}.${variant.format}`, object.key] as const;
        }),
      ),
    );
    encoded.delete(image.id);
    return { variantKeys: Object.fromEntries(stored), altText, credit, fresh: true };
  };
}
