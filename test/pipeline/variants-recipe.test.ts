// What the published variants are made with (image-facts.ts): a structured recipe, compared field
// by field, so the variants are made again exactly when the crop, alt text or credit changed.
import { describe, expect, it } from 'vitest';
import { recipeKey, sameRecipe, variantsRecipe } from '../../electron/core/pipeline/image-facts.ts';
import type { ImageRow } from '../../electron/core/store/images.ts';
import { stringContaining } from '../helpers/matchers.ts';

const image: Parameters<typeof variantsRecipe>[0] = {
  source: 'generated',
  synthetic: false,
  description: 'Lights along the pier at night',
  alt_text: null,
  credit: null,
  model: 'flux',
  provider: 'workers-ai',
  focal_x: null,
  focal_y: null,
} satisfies Partial<ImageRow>;

describe('the variants recipe', () => {
  it('is what the variants depend on, and the same recipe only when nothing they depend on moved', () => {
    const made = variantsRecipe(image, 'Pier lights restored', 'The Herald');
    expect(made).toEqual({ focal: null, alt: 'Lights along the pier at night.', credit: stringContaining('The Herald') });
    expect(sameRecipe(made, variantsRecipe(image, 'Pier lights restored', 'The Herald'))).toBe(true);
    expect(sameRecipe(null, made)).toBe(false);

    const moved = variantsRecipe({ ...image, focal_x: 0.2, focal_y: 0.7 }, 'Pier lights restored', 'The Herald');
    expect(moved.focal).toEqual({ x: 0.2, y: 0.7 });
    expect(sameRecipe(made, moved)).toBe(false);
    expect(sameRecipe(moved, { ...moved, focal: { x: 0.2, y: 0.7 } })).toBe(true);
    expect(sameRecipe(moved, { ...moved, focal: { x: 0.2, y: 0.71 } })).toBe(false);
    expect(sameRecipe(made, variantsRecipe({ ...image, alt_text: 'The pier at night' }, 'Pier lights restored', 'The Herald'))).toBe(false);
    expect(sameRecipe(made, variantsRecipe({ ...image, credit: 'Ana Ruiz' }, 'Pier lights restored', 'The Herald'))).toBe(false);

    expect(recipeKey(moved)).toBe(recipeKey({ credit: moved.credit, alt: moved.alt, focal: { y: 0.7, x: 0.2 } }));
    expect(recipeKey(moved)).not.toBe(recipeKey(made));
  });
});
