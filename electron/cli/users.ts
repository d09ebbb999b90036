// `hero-desk users add|list|revoke`: the newsroom desk's accounts, written straight to the desk's
// database (a running desk sees a new or revoked account on its next request).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureWritableDataDir } from '../core/base/machine-errors.ts';
import type { Store } from '../core/store/store.ts';
import { openDeskStore } from './desk-store.ts';
import { addAccount, listAccounts, parseRole, revokeAccount } from '../core/accounts/accounts.ts';
import { DATA_DIR_NEXT_STEP } from './data-dir.ts';

function openStore(dataDir: string): Store {
  const dir = resolve(dataDir);
  ensureWritableDataDir(dir, DATA_DIR_NEXT_STEP);
  return openDeskStore(dir);
}

/** Where editors open the board, when the desk runs now (its runtime.json). */
function boardOrigin(dataDir: string): string | null {
  const path = join(resolve(dataDir), 'runtime.json');
  if (!existsSync(path)) return null;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { boardUrl: string }).boardUrl.split('/#token=')[0] ?? null;
  } catch {
    return null;
  }
}

export async function runUsersAdd(name: string, options: { dataDir: string; role: string }): Promise<void> {
  const role = parseRole(options.role);
  const store = openStore(options.dataDir);
  try {
    const { account, token } = await addAccount(store, name, role);
    const origin = boardOrigin(options.dataDir);
    const out = process.stdout;
    out.write(`Account "${account.name}" (${account.role}) created. The token, shown only this once:\n\n  ${token}\n\n`);
    out.write(
      origin
        ? `They open the board at ${origin}/#token=${token}\n`
        : "They open the board at the desk's address with #token=<the token> after it.\n",
    );
    out.write('Lost it? Revoke the account (hero-desk users revoke) and add it again.\n');
  } finally {
    store.close();
  }
}

export function runUsersList(options: { dataDir: string; all?: boolean }): void {
  const store = openStore(options.dataDir);
  try {
    const accounts = listAccounts(store, { includeRevoked: options.all === true });
    if (accounts.length === 0) {
      process.stdout.write('no accounts: the desk accepts only its own token (add one with hero-desk users add NAME --role editor)\n');
      return;
    }
    const width = Math.max(4, ...accounts.map((account) => account.name.length));
    process.stdout.write(`  ${'name'.padEnd(width)}  role    created           revoked\n`);
    for (const account of accounts) {
      const when = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
      process.stdout.write(
        `  ${account.name.padEnd(width)}  ${account.role.padEnd(6)}  ${when(account.createdAt)}  ${when(account.revokedAt)}\n`.trimEnd() +
          '\n',
      );
    }
  } finally {
    store.close();
  }
}

export function runUsersRevoke(name: string, options: { dataDir: string }): void {
  const store = openStore(options.dataDir);
  try {
    const account = revokeAccount(store, name);
    process.stdout.write(
      `Account "${account.name}" revoked: its token no longer opens the board (an open board is closed within a minute).\n`,
    );
  } finally {
    store.close();
  }
}
