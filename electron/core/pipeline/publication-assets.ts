// What readers load for an approved image: web variants (hero 16:9, Open Graph, square,
// thumbnail; WebP/AVIF/JPEG) cropped around the focal point, with AI-disclosure XMP for
// generated images (and a photo's own, non-AI metadata for an editor's photo), under
// content-addressed keys (a retried publish re-uploads nothing new). The untouched original (and
// any C2PA manifest in it) stays at its own key.
import pLimit from 'p-limit';
import type { ImageStorage } from '../adapters/types.ts';
import { makeVariants, variantKey, type Variant, type VariantOptions } from '../imaging/variants.ts';
import { focalPointOf, variantKeysOf, type ImageRow } from '../store/images.ts';
import { altTextOf, creditOf, imageKind, recipeKey, sameRecipe, variantsRecipe } from './image-facts.ts';
import type { AssetPreparer, BackgroundOptions } from './publish-job.ts';

export interface AssetOptions {
  storage: ImageStorage;
  /** Publication name for credit lines, e.g. "The Harbour Herald". */
  site: string | null;
}

/** Encoded variants of the last few images, so a retry after a storage fault does not encode them again. */
const ENCODED_KEPT = 4;

function variantOptions(image: ImageRow, altText: string, site: string | null): VariantOptions {
  const focalPoint = focalPointOf(image);
  const kind = imageKind(image);
  if (kind === 'photo') return { focalPoint, photo: { creator: image.credit, site, altText } };
  if (kind === 'synthetic') return { focalPoint };
  return {
    focalPoint,
    disclosure: { model: image.model, provider: image.provider, prompt: image.prompt, site, credit: image.credit, altText },
  };
}

/** Background variants given up because an approval is making the same ones at full speed. */
export class SupersededError extends Error {
  constructor() {
    super('an approval took over making these variants');
    this.name = 'SupersededError';
  }
}

export function createVariantAssets({ storage, site }: AssetOptions): AssetPreparer {
  const encoded = new Map<string, Variant[]>();
  const inflight = new Map<string, { work: Promise<Record<string, string>>; background: boolean; controller: AbortController }>();

  /** Encodes (unless kept from a failed upload) and uploads; variant name → storage key. */
  async function makeAndStore(
    image: ImageRow,
    cacheKey: string,
    altText: string,
    signal: AbortSignal,
    background: BackgroundOptions,
  ): Promise<Record<string, string>> {
    let variants = encoded.get(cacheKey);
    if (!variants) {
      const original = await storage.get(image.storage_key, signal);
      variants = await makeVariants(original, { ...variantOptions(image, altText, site), ...background, signal });
      encoded.set(cacheKey, variants);
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
    encoded.delete(cacheKey);
    return Object.fromEntries(stored);
  }

  return async (image, headline, signal, options = {}) => {
    const altText = altTextOf(image, headline);
    const credit = creditOf(image, site);
    const recipe = variantsRecipe(image, headline, site);
    // made for an earlier publication of this image (a republish, a retry after the publisher failed),
    // unless the editor changed what they depend on since (variants from before recipes were kept
    // count as made with the defaults)
    const made = variantKeysOf(image);
    const madeWith =
      image.variants_made_with ?? variantsRecipe({ ...image, alt_text: null, credit: null, focal_x: null, focal_y: null }, headline, site);
    if (Object.keys(made).length > 0 && sameRecipe(madeWith, recipe)) return { variantKeys: made, altText, credit, recipe, fresh: false };

    const cacheKey = `${image.id}:${recipeKey(recipe)}`;
    // the background preparation (publish-ready.ts) and an approval may ask at once: one encode.
    // An approval does not wait for the slow background pace: it takes over at full speed.
    let entry = inflight.get(cacheKey);
    if (entry?.background && !options.background) {
      entry.controller.abort(new SupersededError());
      entry = undefined;
    }
    if (!entry) {
      const controller = new AbortController();
      const work = makeAndStore(image, cacheKey, altText, AbortSignal.any([signal, controller.signal]), options);
      const started = { work, background: options.background === true, controller };
      inflight.set(cacheKey, started);
      work
        .finally(() => {
          if (inflight.get(cacheKey) === started) inflight.delete(cacheKey);
        })
        .catch(() => undefined); // the caller below sees the failure
      entry = started;
    }
    const stored = await entry.work;
    return { variantKeys: stored, altText, credit, recipe, fresh: true };
  };
}
