// Headless secret store. The desktop app uses the OS keychain (electron/main/secrets.ts);
// headless runs read HERO_DESK_SECRET_<NAME> from the environment first, then
// <dataDir>/secrets.json (which must not be readable by others). Keys saved from the board go to
// that file (0600, written atomically). Values are never logged or sent back out.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { WritableSecretStore } from './types.ts';
import { ConfigError } from '../config/errors.ts';
import { writeFileAtomicSync } from '../base/write-atomic.ts';
import { errorMessage } from '../base/failures.ts';

export function envName(name: string): string {
  return `HERO_DESK_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function createHeadlessSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): WritableSecretStore {
  const path = join(dataDir, 'secrets.json');
  let fileSecrets = readSecretsFile(path);
  return {
    get: (name) => env[envName(name)] ?? fileSecrets[name],
    sourceOf: (name) => (env[envName(name)] ? 'environment' : fileSecrets[name] ? 'file' : null),
    async set(name, value) {
      const next = { ...readSecretsFile(path) };
      if (value === null) delete next[name];
      else next[name] = value;
      writeFileAtomicSync(path, `${JSON.stringify(next, null, 2)}\n`, 0o600);
      fileSecrets = next;
    },
  };
}

function readSecretsFile(path: string): Record<string, string> {
  try {
    const mode = statSync(path).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new ConfigError(`${path} is readable by other users; run: chmod 600 ${path}`);
    }
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new ConfigError(`${path} must be a JSON object of string values`);
    return parsed.data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error instanceof ConfigError ? error : new ConfigError(`cannot read ${path}: ${errorMessage(error)}`);
  }
}
