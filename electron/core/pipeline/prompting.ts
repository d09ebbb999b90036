// The seam between articles and prompt text. The core asks a PromptBuilder (house styles and
// story policy from prompt/, configured by the config's "prompt" section).
import { ConfigError } from '../config/errors.ts';
import { parseStrict } from '../config/issues.ts';
import { buildPrompt, PromptConfigSchema, type PromptConfigInput } from '../prompt/index.ts';

export interface PromptInput {
  headline: string;
  summary: string;
  section: string;
  storyType: string | null;
  breaking: boolean;
  /** The editor's (or the record's) prompt: replaces the subject; policy style still applies. */
  override: string | null;
  /** A visual brief from the optional LLM prompt writer. */
  brief?: string | null;
}

export interface BuiltPrompt {
  prompt: string;
  negativePrompt: string | null;
  /** Story policy label shown on the card, e.g. "illustration only (hard news)". */
  policyLabel: string | null;
  /** 'default-image': policy says no AI image for this story. */
  mode: 'generate' | 'default-image';
  /** The house style in force, for the prompt writer. */
  houseStyle: string;
}

export type PromptBuilder = (input: PromptInput) => BuiltPrompt;

export function createPromptBuilder(rawConfig: unknown): PromptBuilder {
  const parsed = parseStrict(PromptConfigSchema, rawConfig ?? {}, ['prompt']);
  if (!parsed.success) throw new ConfigError(`prompt is invalid:\n${parsed.lines.join('\n')}`);
  const config = rawConfig as PromptConfigInput;
  return (input) => {
    const built = buildPrompt({ ...input, ...config });
    return {
      prompt: built.prompt,
      negativePrompt: built.negativePrompt || null,
      policyLabel: built.policyLabel,
      mode: built.mode === 'default-image' ? 'default-image' : 'generate',
      houseStyle: built.houseStyle,
    };
  };
}
