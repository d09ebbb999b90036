// OpenAI adapters: image provider, vision scorer, prompt writer (see each module for config).
export { createOpenAIImageProvider, OpenAIImagesConfigSchema } from './images-provider.ts';
export type { OpenAIImagesConfig, OpenAIImagesConfigInput } from './images-provider.ts';
export { createOpenAIVisionScorer, OpenAIVisionConfigSchema } from './vision-scorer.ts';
export type { OpenAIVisionConfig, OpenAIVisionConfigInput } from './vision-scorer.ts';
export { createOpenAIPromptWriter, OpenAIPromptWriterConfigSchema } from './prompt-writer.ts';
export type { OpenAIPromptWriterConfig, OpenAIPromptWriterConfigInput } from './prompt-writer.ts';
export type { AdapterLogger, OpenAIDeps } from './client.ts';
