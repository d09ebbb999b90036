// Reads and validates the config file. A missing file means embedded defaults; a corrupt one
// is a clear, located error listing every mistake (never a half-applied config).
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.ts';
import { ConfigSchema, type HeroDeskConfig } from '../config/schema.ts';
import { checkConfig } from './config-check.ts';
import { errorMessage } from '../base/failures.ts';

export { ConfigError };

export function loadConfig(path: string, required: boolean): HeroDeskConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return ConfigSchema.parse({});
    throw new ConfigError(`cannot read config ${path}: ${errorMessage(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${path} is not valid JSON: ${errorMessage(error)}`);
  }
  return parseConfig(raw, `config ${path}`);
}

/** Throws one ConfigError listing every mistake, one per line. */
export function parseConfig(raw: unknown, origin = 'config'): HeroDeskConfig {
  const checked = checkConfig(raw);
  if (checked.ok) return checked.config;
  const count = checked.lines.length === 1 ? '1 mistake' : `${checked.lines.length} mistakes`;
  throw new ConfigError(`${origin} is invalid (${count}):\n${checked.lines.map((line) => `  ${line}`).join('\n')}`);
}
