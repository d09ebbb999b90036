// What an image is and what readers get with it (alt text, credit line, crop centre), with the
// editor's overrides applied. One place, so publishing, the write-back and the drawer agree.
import type { FocalPoint } from '../../../shared/domain.ts';
import { altTextFor, creditLine, type ImageKind } from '../imaging/disclosure.ts';
import { focalPointOf, type ImageRow, type VariantsRecipe } from '../store/images.ts';

type FactsOf = Pick<
  ImageRow,
  'source' | 'synthetic' | 'description' | 'alt_text' | 'credit' | 'model' | 'provider' | 'focal_x' | 'focal_y'
>;

export function imageKind(image: Pick<ImageRow, 'source' | 'synthetic'>): ImageKind {
  if (image.source === 'editor') return 'photo';
  return image.synthetic ? 'synthetic' : 'ai';
}

/** The editor's alt text, else the scorer's description, else one made from the headline. */
export function altTextOf(image: FactsOf, headline: string): string {
  return image.alt_text ?? altTextFor(image.description, headline, imageKind(image));
}

/** The caption credit line readers see; the editor's credit replaces the site, never the AI label. */
export function creditOf(image: FactsOf, site: string | null): string {
  return creditLine(imageKind(image), { model: image.model || image.provider, by: image.credit ?? site });
}

/**
 * What the published variants depend on besides the original's bytes. Variants made with other
 * values (the editor moved the focal point, fixed the alt text) are made again at the next publication.
 */
export function variantsRecipe(image: FactsOf, headline: string, site: string | null): VariantsRecipe {
  const focal: FocalPoint | undefined = focalPointOf(image);
  return { focal: focal ?? null, alt: altTextOf(image, headline), credit: creditOf(image, site) };
}

/** Whether variants made with `made` are still right for `wanted`; nothing recorded is never right. */
export function sameRecipe(made: VariantsRecipe | null, wanted: VariantsRecipe): boolean {
  if (made === null || made.alt !== wanted.alt || made.credit !== wanted.credit) return false;
  return made.focal === null || wanted.focal === null
    ? made.focal === wanted.focal
    : made.focal.x === wanted.focal.x && made.focal.y === wanted.focal.y;
}

/** The recipe as a cache key: equal recipes, equal keys. */
export function recipeKey(recipe: VariantsRecipe): string {
  return JSON.stringify([recipe.focal?.x ?? null, recipe.focal?.y ?? null, recipe.alt, recipe.credit]);
}
