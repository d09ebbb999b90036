// Prompt building and story policy: pure functions, configured by PromptConfigSchema.
export { buildPrompt, PromptConfigSchema } from './build-prompt.ts';
export type { BuildPromptInput, BuiltPrompt, PromptArticle, PromptConfig, PromptConfigInput } from './build-prompt.ts';
export { decideStoryPolicy, StoryPolicyConfigSchema } from './story-policy.ts';
export type { ImageryMode, StoryPolicyConfig, StoryPolicyDecision, StoryPolicyInput } from './story-policy.ts';
export { DEFAULT_HOUSE_STYLES, DEFAULT_SECTION_ALIASES, HouseStyleSchema, houseStyleFor } from './house-styles.ts';
export type { HouseStyle } from './house-styles.ts';
