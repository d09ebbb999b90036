// Provider registry: config names a provider by `type`, this map supplies its schema and factory.
import type { z } from 'zod';
import type { ImageProvider } from '../types.ts';
import { createDefaultImageProvider, DefaultImageConfigSchema } from '../default-images/default-image-provider.ts';
import { Automatic1111ConfigSchema, createAutomatic1111Provider } from './automatic1111.ts';
import { WorkersAiConfigSchema, createWorkersAiProvider } from './cloudflare-workers-ai.ts';
import { ComfyUiConfigSchema, createComfyUiProvider } from './comfyui.ts';
import { ReplicateConfigSchema, createReplicateProvider } from './replicate.ts';
import type { ProviderDeps } from './http.ts';

export type { ProviderDeps, ProviderLogger } from './http.ts';

export interface ProviderFactoryDeps extends ProviderDeps {
  /** The shipped default-image set (packaged app: <resources>/default-images). */
  defaultImagesDir?: string;
}

export interface ProviderFactory<S extends z.ZodType> {
  schema: S;
  create(config: z.output<S>, deps: ProviderFactoryDeps): ImageProvider;
}

function factory<S extends z.ZodType>(schema: S, create: ProviderFactory<S>['create']): ProviderFactory<S> {
  return { schema, create };
}

export const PROVIDER_FACTORIES = {
  'workers-ai': factory(WorkersAiConfigSchema, createWorkersAiProvider),
  automatic1111: factory(Automatic1111ConfigSchema, createAutomatic1111Provider),
  comfyui: factory(ComfyUiConfigSchema, createComfyUiProvider),
  replicate: factory(ReplicateConfigSchema, createReplicateProvider),
  'default-image': factory(DefaultImageConfigSchema, (config, deps) =>
    createDefaultImageProvider(config, deps.defaultImagesDir ? { builtinDir: deps.defaultImagesDir } : {}),
  ),
} as const;

export type ProviderType = keyof typeof PROVIDER_FACTORIES;

export function isProviderType(type: string): type is ProviderType {
  return Object.hasOwn(PROVIDER_FACTORIES, type);
}

/** Validate raw config (e.g. from the settings file) for a provider type and build it; throws ZodError on bad config. */
export function createProvider(type: ProviderType, rawConfig: unknown, deps: ProviderFactoryDeps): ImageProvider {
  const entry: ProviderFactory<z.ZodType> = PROVIDER_FACTORIES[type];
  return entry.create(entry.schema.parse(rawConfig), deps);
}
