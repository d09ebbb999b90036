// Desktop SecretStore: API keys encrypted with Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows) in one JSON file under userData, written 0600. When the OS cannot encrypt (or Linux
// falls back to its hard-coded "basic_text" key) the store refuses to save rather than write
// plaintext. Values live decrypted in main-process memory only; they are never logged and never
// appear in errors, which name the secret at most.
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { SecretStore } from '../core/adapters/types.ts';
import { asDiskFull } from '../core/base/machine-errors.ts';

export const SafeStorageSecretsConfigSchema = z.object({
  /** Usually `<userData>/secrets.enc.json`. */
  filePath: z.string().min(1),
});
export type SafeStorageSecretsConfig = z.infer<typeof SafeStorageSecretsConfigSchema>;

/** The slice of Electron's safeStorage used here (the async API; the sync one is deprecated). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend(): string;
}

export interface SafeStorageSecretsDeps {
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
}

export interface DesktopSecretStore extends SecretStore {
  /** False when the OS offers no real encryption: nothing can be read or saved. */
  readonly encryptionAvailable: boolean;
  /** Names whose stored value could not be decrypted (e.g. keychain reset); re-enter them. */
  readonly unreadable: readonly string[];
  names(): string[];
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export class SecretStorageUnavailableError extends Error {
  constructor() {
    super('OS secret encryption is unavailable; refusing to store secrets in plaintext');
    this.name = 'SecretStorageUnavailableError';
  }
}

const SecretNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'invalid secret name');
const SecretValueSchema = z.string().min(1).max(16_384);
/** On disk: name → base64 ciphertext. */
const SecretsFileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

async function encryptionUsable(deps: SafeStorageSecretsDeps): Promise<boolean> {
  if (!(await deps.safeStorage.isAsyncEncryptionAvailable())) return false;
  // basic_text encrypts with a key baked into Chromium: as good as plaintext.
  const platform = deps.platform ?? process.platform;
  return platform !== 'linux' || deps.safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Ciphertexts still deserve 0600: older versions (or a copy) may have left the file readable by others. */
async function ownerOnly(filePath: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await stat(filePath).catch(() => null);
  if (info && (info.mode & 0o077) !== 0) await chmod(filePath, 0o600);
}

async function readCiphertexts(filePath: string): Promise<Map<string, string>> {
  let text: string;
  try {
    await ownerOnly(filePath);
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const parsed = SecretsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`secrets file ${filePath} is not in the expected format`);
  return new Map(Object.entries(parsed.data.secrets));
}

export async function createSafeStorageSecrets(
  config: SafeStorageSecretsConfig,
  deps: SafeStorageSecretsDeps,
): Promise<DesktopSecretStore> {
  const { filePath } = SafeStorageSecretsConfigSchema.parse(config);
  const available = await encryptionUsable(deps);
  const ciphertexts = await readCiphertexts(filePath);
  const values = new Map<string, string>();
  const unreadable: string[] = [];
  const writes = pLimit(1); // one writer at a time, so concurrent sets never lose each other

  const persist = (): Promise<void> =>
    writes(async () => {
      const body = { version: 1, secrets: Object.fromEntries(ciphertexts) };
      // <name>.<pid>.tmp: swept at start if we die mid-write (core/app/stale-temps.ts)
      const temp = `${filePath}.${process.pid}.tmp`;
      try {
        await mkdir(dirname(filePath), { recursive: true });
        await rm(temp, { force: true }); // a reused pid's leftover would keep its old mode
        await writeFile(temp, JSON.stringify(body, null, 2), { mode: 0o600 });
        await rename(temp, filePath); // atomic: a crash never leaves half a file
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw asDiskFull(error, dirname(filePath), false);
      }
    });

  if (available) {
    let rotated = false;
    for (const [name, encoded] of ciphertexts) {
      try {
        const { result, shouldReEncrypt } = await deps.safeStorage.decryptStringAsync(Buffer.from(encoded, 'base64'));
        values.set(name, result);
        if (shouldReEncrypt) {
          ciphertexts.set(name, (await deps.safeStorage.encryptStringAsync(result)).toString('base64'));
          rotated = true;
        }
      } catch {
        unreadable.push(name);
      }
    }
    if (rotated) await persist();
  } else {
    unreadable.push(...ciphertexts.keys());
  }

  return {
    encryptionAvailable: available,
    get unreadable() {
      return [...unreadable];
    },
    get: (name) => values.get(name),
    names: () => [...values.keys()].sort(),
    async set(name, value) {
      SecretNameSchema.parse(name);
      if (!SecretValueSchema.safeParse(value).success) throw new Error(`secret "${name}" must be 1–16384 characters`);
      if (!available) throw new SecretStorageUnavailableError();
      ciphertexts.set(name, (await deps.safeStorage.encryptStringAsync(value)).toString('base64'));
      values.set(name, value);
      if (unreadable.includes(name)) unreadable.splice(unreadable.indexOf(name), 1);
      await persist();
    },
    async delete(name) {
      if (!available) throw new SecretStorageUnavailableError();
      const existed = ciphertexts.delete(name);
      values.delete(name);
      if (unreadable.includes(name)) unreadable.splice(unreadable.indexOf(name), 1);
      if (existed) await persist();
      return existed;
    },
  };
}
