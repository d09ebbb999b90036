// Turns an article (or an editor's override) into the prompt and negative prompt a provider gets.
// Pure: same input, same output; all newsroom choices live in PromptConfig.
import { z } from 'zod';
import { DEFAULT_SECTION_ALIASES, houseStyleFor, HouseStylesSchema } from './house-styles.ts';
import { decideStoryPolicy, StoryPolicyConfigSchema } from './story-policy.ts';
import type { ImageryMode } from './story-policy.ts';
import { firstSentence, mergeTerms } from './text.ts';

export const PromptConfigSchema = z.strictObject({
  houseStyles: HouseStylesSchema,
  /** Merged over the defaults, e.g. { "metro": "local" }. */
  sectionAliases: z
    .record(z.string(), z.string())
    .default({})
    .transform((custom) => ({ ...DEFAULT_SECTION_ALIASES, ...custom })),
  policy: StoryPolicyConfigSchema.default(StoryPolicyConfigSchema.parse({})),
  /** Always avoided, whatever the section or policy. */
  baseNegative: z.string().default('text, letters, words, captions, watermark, logo, signature, gore, distorted hands, extra fingers'),
  /** Added whenever photoreal is not allowed. */
  illustrationNegative: z
    .string()
    .default('photograph, photorealistic, hyperrealistic, press photo, DSLR, identifiable face, real person likeness'),
  /** Cap on the summary sentence used as the subject's context. */
  maxSummaryChars: z.number().int().min(40).max(1000).default(240),
});
export type PromptConfig = z.infer<typeof PromptConfigSchema>;
export type PromptConfigInput = z.input<typeof PromptConfigSchema>;

export interface PromptArticle {
  headline: string;
  summary: string;
  section: string;
  storyType: string | null;
  breaking?: boolean;
  /** The editor's (or the record's) own prompt; wins for the subject. */
  override?: string | null;
  /** A visual brief from the LLM prompt writer; used when there is no override. */
  brief?: string | null;
}

/** Article fields plus any part of PromptConfig (missing parts take their defaults). */
export type BuildPromptInput = PromptArticle & PromptConfigInput;

export interface BuiltPrompt {
  prompt: string;
  negativePrompt: string;
  policyLabel: string;
  allowPhotoreal: boolean;
  /** 'default-image' tells the tier policy to skip AI generation and use the default image. */
  mode: ImageryMode;
  /** Which house style was applied (after aliases / fallback). */
  houseStyle: string;
}

const ILLUSTRATION_GUARD =
  'It must read clearly as an illustration, not a photograph: no photorealism, no identifiable real people, ' +
  'and no depiction of the actual event as if it had been documented.';
const COMPOSITION = 'Wide 16:9 landscape composition, main subject clear of the edges. No text, letters, numbers or logos.';

export function buildPrompt(input: BuildPromptInput): BuiltPrompt {
  const config = PromptConfigSchema.parse({
    houseStyles: input.houseStyles,
    sectionAliases: input.sectionAliases,
    policy: input.policy,
    baseNegative: input.baseNegative,
    illustrationNegative: input.illustrationNegative,
    maxSummaryChars: input.maxSummaryChars,
  });
  const decision = decideStoryPolicy(
    { section: input.section, storyType: input.storyType, breaking: input.breaking ?? false },
    config.policy,
  );
  const { key, style } = houseStyleFor(input.section, config.houseStyles, config.sectionAliases);
  // A section without a photo style stays illustrated even where the story policy would allow photoreal.
  const allowPhotoreal = decision.allowPhotoreal && style.photo !== null;
  const styleText = allowPhotoreal ? (style.photo as string) : style.illustration;

  // The override replaces only WHAT is shown. HOW it is shown (the policy's style, the illustration
  // guard and the negative prompt) still applies: policy is a newsroom rule about hard news, not a
  // per-card choice, so an override cannot make a breaking story photoreal by asking for "a photo of…".
  const override = input.override?.trim();
  const brief = input.brief?.trim();
  const subject = override || brief || articleSubject(input, config.maxSummaryChars);

  const prompt = [subject, `Style: ${styleText}.`, allowPhotoreal ? null : ILLUSTRATION_GUARD, COMPOSITION]
    .filter((line): line is string => Boolean(line))
    .join('\n');
  const negativePrompt = mergeTerms(config.baseNegative, style.negative, allowPhotoreal ? null : config.illustrationNegative);
  const policyLabel = decision.allowPhotoreal && !allowPhotoreal ? `illustration only (${key} house style)` : decision.label;
  return { prompt, negativePrompt, policyLabel, allowPhotoreal, mode: decision.mode, houseStyle: key };
}

/**
 * What a built prompt shows (its first part), without the style, guard and composition lines the
 * builder adds again: what "use this prompt again" sends back as the editor's prompt.
 */
export function promptSubject(prompt: string): string {
  const styleAt = prompt.indexOf('\nStyle: ');
  return (styleAt === -1 ? prompt : prompt.slice(0, styleAt)).trim();
}

function articleSubject(article: PromptArticle, maxSummaryChars: number): string {
  const headline = article.headline.trim().replace(/[.!?]*$/, '');
  const context = firstSentence(article.summary, maxSummaryChars);
  return context ? `A hero image for the news story "${headline}". Context: ${context}` : `A hero image for the news story "${headline}".`;
}
