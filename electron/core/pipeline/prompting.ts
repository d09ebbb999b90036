// The seam between articles and prompt text. The core asks a PromptBuilder; the default one
// (prompt/ module, configurable house styles and story policy) is wired in core/index.ts.
export interface PromptInput {
  headline: string;
  summary: string;
  section: string;
  storyType: string | null;
  breaking: boolean;
  override: string | null;
}

export interface BuiltPrompt {
  prompt: string;
  negativePrompt: string | null;
  /** Story policy label shown on the card, e.g. "illustration only (hard news)". */
  policyLabel: string | null;
}

export type PromptBuilder = (input: PromptInput) => BuiltPrompt;

/** Minimal builder used until a configured one is supplied (and in unit tests). */
export const plainPromptBuilder: PromptBuilder = (input) => ({
  prompt:
    input.override ??
    `Editorial illustration for a local news story (${input.section}): ${input.headline}. ${input.summary}`.trim(),
  negativePrompt: 'text, watermark, logo',
  policyLabel: null,
});
