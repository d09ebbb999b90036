// Reads and validates the config file. A missing file means embedded defaults; a corrupt one
// is a clear, located error (never a half-applied config).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigSchema, type HeroDeskConfig } from './schema.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(path: string, required: boolean): HeroDeskConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return ConfigSchema.parse({});
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, `config ${path}`);
}

export function parseConfig(raw: unknown, origin = 'config'): HeroDeskConfig {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${origin} is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}
