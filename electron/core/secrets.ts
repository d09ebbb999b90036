// Headless secret store. The desktop app uses the OS keychain (electron/main/secrets.ts);
// headless runs read HERO_DESK_SECRET_<NAME> from the environment, then <dataDir>/secrets.json
// (which must not be readable by others). Values are never logged.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from './adapters/types.ts';
import { ConfigError } from './config/load.ts';

export function envName(name: string): string {
  return `HERO_DESK_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function createHeadlessSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const path = join(dataDir, 'secrets.json');
  let fileSecrets: Record<string, string> = {};
  try {
    const mode = statSync(path).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new ConfigError(`${path} is readable by other users; run: chmod 600 ${path}`);
    }
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new ConfigError(`${path} must be a JSON object of string values`);
    fileSecrets = parsed.data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error instanceof ConfigError ? error : new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
    }
  }
  return { get: (name) => env[envName(name)] ?? fileSecrets[name] };
}
