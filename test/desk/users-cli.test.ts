// `hero-desk users` as an admin runs it: real processes on a real data directory.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccountVerifier } from '../../electron/core/accounts/accounts.ts';
import { Store } from '../../electron/core/store/store.ts';
import { tempDirs } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const run = (args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('hero-desk users', () => {
  it('adds (printing the token once), lists (never the token) and revokes accounts', async () => {
    const dataDir = dirs.make();
    const added = run(['users', 'add', 'Maria', '--role', 'editor', '--data-dir', dataDir]);
    expect(added.code).toBe(0);
    const token = /\b(hd1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43})\b/.exec(added.stdout)?.[1];
    expect(token).toBeDefined();
    expect(added.stdout).toContain('Account "Maria" (editor) created');

    const store = new Store(join(dataDir, 'hero-desk.db'));
    try {
      expect(await createAccountVerifier(store).verify(token!)).toMatchObject({ name: 'Maria', role: 'editor' });
    } finally {
      store.close();
    }

    expect(run(['users', 'add', 'Ola', '--role', 'viewer', '--data-dir', dataDir]).code).toBe(0);
    const listed = run(['users', 'list', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Maria\s+editor/);
    expect(listed.stdout).toMatch(/Ola\s+viewer/);
    expect(listed.stdout).not.toContain(token!.split('.')[2]!);

    const duplicate = run(['users', 'add', 'Maria', '--role', 'admin', '--data-dir', dataDir]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('hero-desk: Maria already has an account; revoke it first');
    const badRole = run(['users', 'add', 'Kim', '--role', 'chief', '--data-dir', dataDir]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role must be viewer, editor or admin');

    expect(run(['users', 'revoke', 'Maria', '--data-dir', dataDir]).stdout).toContain('Account "Maria" revoked');
    expect(run(['users', 'list', '--data-dir', dataDir]).stdout).not.toContain('Maria');
    expect(run(['users', 'list', '--all', '--data-dir', dataDir]).stdout).toMatch(/Maria\s+editor\s+\S+ \S+\s+\S+ \S+/);
    const unknown = run(['users', 'revoke', 'Nobody', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no active account named "Nobody"');
  }, 30_000);
});
