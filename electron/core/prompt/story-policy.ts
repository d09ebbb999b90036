// What kind of imagery a story may carry. Newsroom practice (AP, local outlets; see
// product-anchors.md): AI images are illustrative only, never a photoreal depiction of a real event
// or identifiable real person for hard news, breaking news or crime. Photoreal is for features.
import { z } from 'zod';
import { normaliseKey } from './text.ts';

export const StoryPolicyConfigSchema = z.strictObject({
  /** Story types that are hard news whatever the section. Breaking stories always are. */
  hardNewsStoryTypes: z.array(z.string()).default(['news', 'hard news', 'breaking', 'crime', 'court', 'live', 'developing']),
  /** Sections whose stories are hard news whatever the story type. */
  hardNewsSections: z.array(z.string()).default(['crime', 'courts', 'justice']),
  /** What hard news gets: a forced illustration style, or no AI image at all (the tier's default image). */
  hardNewsMode: z.enum(['illustration', 'default-image']).default('illustration'),
  /** Story types that get no AI image at all (e.g. a dead person's likeness must never be invented). */
  defaultImageStoryTypes: z.array(z.string()).default(['obituary', 'obit']),
  /** The only story types allowed photoreal imagery (unless hard news by section or breaking). */
  photorealStoryTypes: z.array(z.string()).default(['feature', 'explainer', 'review', 'guide', 'lifestyle', 'travel', 'food', 'how to']),
});
export type StoryPolicyConfig = z.infer<typeof StoryPolicyConfigSchema>;

export type ImageryMode = 'photoreal' | 'illustration' | 'default-image';

export interface StoryPolicyInput {
  section: string;
  storyType: string | null;
  breaking: boolean;
}

export interface StoryPolicyDecision {
  mode: ImageryMode;
  allowPhotoreal: boolean;
  hardNews: boolean;
  /** Shown on the card, e.g. "illustration only (breaking news)". */
  label: string;
}

export function decideStoryPolicy(input: StoryPolicyInput, config: StoryPolicyConfig): StoryPolicyDecision {
  const type = normaliseKey(input.storyType);
  const section = normaliseKey(input.section);
  const has = (list: string[], key: string): boolean => key !== '' && list.some((v) => normaliseKey(v) === key);

  if (has(config.defaultImageStoryTypes, type)) {
    return { mode: 'default-image', allowPhotoreal: false, hardNews: false, label: `default image (${type})` };
  }
  const hardReason = input.breaking
    ? 'breaking news'
    : has(config.hardNewsStoryTypes, type)
      ? `hard news: ${type}`
      : has(config.hardNewsSections, section)
        ? `hard news: ${section} section`
        : null;
  if (hardReason) {
    return config.hardNewsMode === 'default-image'
      ? { mode: 'default-image', allowPhotoreal: false, hardNews: true, label: `default image (${hardReason})` }
      : { mode: 'illustration', allowPhotoreal: false, hardNews: true, label: `illustration only (${hardReason})` };
  }
  if (has(config.photorealStoryTypes, type)) {
    return { mode: 'photoreal', allowPhotoreal: true, hardNews: false, label: `photoreal allowed (${type})` };
  }
  // Unknown or unlisted types (opinion, analysis, missing) get the safe choice.
  return {
    mode: 'illustration',
    allowPhotoreal: false,
    hardNews: false,
    label: `illustration only (${type || 'story type not set'})`,
  };
}
