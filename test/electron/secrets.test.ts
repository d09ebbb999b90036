import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSafeStorageSecrets, SecretStorageUnavailableError } from '../../electron/main/secrets.ts';
import * as electron from './electron-mock.ts';
import { anyString } from '../helpers/matchers.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const KEY = 'sk-live-0123456789abcdef';

describe('safeStorage secret store', () => {
  let dir: string;
  let filePath: string;
  const open = (platform: NodeJS.Platform = 'darwin') =>
    createSafeStorageSecrets({ filePath }, { safeStorage: electron.safeStorage, platform });

  beforeEach(async () => {
    electron.resetElectronMock();
    dir = await mkdtemp(join(tmpdir(), 'hero-desk-secrets-'));
    filePath = join(dir, 'secrets.enc.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through an encrypted file that never holds the plaintext', async () => {
    const store = await open();
    expect(store.get('openai')).toBeUndefined();
    await store.set('openai', KEY);
    await store.set('replicate', 'r8_token');
    expect(store.get('openai')).toBe(KEY);

    const onDisk = await readFile(filePath, 'utf8');
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain('r8_token');
    expect(JSON.parse(onDisk)).toMatchObject({ version: 1, secrets: { openai: anyString() } });
    if (process.platform !== 'win32') expect((await stat(filePath)).mode & 0o777).toBe(0o600);

    const reopened = await open();
    expect(reopened.get('openai')).toBe(KEY);
    expect(reopened.names()).toEqual(['openai', 'replicate']);
  });

  it.skipIf(process.platform === 'win32')(
    'tightens a secrets file others could read, and never writes through a leftover temp',
    async () => {
      const first = await open();
      await first.set('openai', KEY);
      const { chmod } = await import('node:fs/promises');
      await chmod(filePath, 0o644); // an older version, or a copy
      // a temp left by a killed write of a process that had our pid, readable by others
      await writeFile(`${filePath}.${process.pid}.tmp`, 'stale', { mode: 0o644 });
      const store = await open();
      expect((await stat(filePath)).mode & 0o777).toBe(0o600);
      await store.set('replicate', 'r8_token');
      expect((await stat(filePath)).mode & 0o777).toBe(0o600);
      expect(store.get('openai')).toBe(KEY);
    },
  );

  it('deletes a secret from memory and disk', async () => {
    const store = await open();
    await store.set('openai', KEY);
    await expect(store.delete('openai')).resolves.toBe(true);
    await expect(store.delete('openai')).resolves.toBe(false);
    expect(store.get('openai')).toBeUndefined();
    expect((await open()).get('openai')).toBeUndefined();
  });

  it('keeps every value when sets overlap', async () => {
    const store = await open();
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.set(name, `value-${name}`)));
    expect((await open()).names()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses to store anything when OS encryption is unavailable', async () => {
    electron.safeStorage.available = false;
    const store = await open();
    expect(store.encryptionAvailable).toBe(false);
    await expect(store.set('openai', KEY)).rejects.toBeInstanceOf(SecretStorageUnavailableError);
    await expect(readFile(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("refuses Linux's basic_text backend, whose key is public", async () => {
    electron.safeStorage.backend = 'basic_text';
    const store = await open('linux');
    expect(store.encryptionAvailable).toBe(false);
    await expect(store.set('openai', KEY)).rejects.toThrow(/plaintext/);
  });

  it('reports, without values, secrets it cannot decrypt', async () => {
    await (await open()).set('openai', KEY);
    const body = JSON.parse(await readFile(filePath, 'utf8')) as { secrets: Record<string, string> };
    body.secrets['stale'] = Buffer.from('from another keychain').toString('base64');
    await writeFile(filePath, JSON.stringify({ version: 1, secrets: body.secrets }));

    const store = await open();
    expect(store.get('openai')).toBe(KEY);
    expect(store.get('stale')).toBeUndefined();
    expect(store.unreadable).toEqual(['stale']);
    await store.set('stale', 'fresh');
    expect(store.unreadable).toEqual([]);
  });

  it('never echoes a value in its errors and rejects odd names', async () => {
    const store = await open();
    await expect(store.set('../escape', KEY)).rejects.toThrow();
    const tooLong = `${KEY}${'x'.repeat(20_000)}`;
    const error = await store.set('openai', tooLong).catch((e: unknown) => e);
    expect(String(error)).not.toContain(KEY);
    await expect(store.set('openai', '')).rejects.toThrow();
  });
});
