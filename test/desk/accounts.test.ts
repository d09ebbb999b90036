// Personal accounts on a real board core and a real bridge: tokens stored only as scrypt hashes,
// each role's token doing what its role may, revocation at once (commands and open sockets), and
// failed logins limited per address and logged without the token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { MAX_FAILURES } from '../../electron/bridge/login-guard.ts';
import { AccountError, addAccount, createAccountVerifier, listAccounts, revokeAccount } from '../../electron/core/accounts/accounts.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { anyNumber } from '../helpers/matchers.ts';

const dirs = tempDirs();
let board: BoardCore | null = null;
let bridge: HttpBridge | null = null;
afterEach(async () => {
  await bridge?.stop();
  board?.close();
  bridge = null;
  board = null;
  dirs.cleanup();
});

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: pino({ level: 'info' }, sink), lines };
}

async function command(name: string, input: unknown, token: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`http://127.0.0.1:${bridge!.port}/api/commands/${name}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string }; value?: unknown } };
}

describe('accounts', () => {
  it('keeps only a salted hash of each token, verifies it, and refuses a duplicate active name', async () => {
    const dir = dirs.make();
    board = createBoardCore(dir);
    const { token, account } = await addAccount(board.store, 'Maria Lopez', 'editor');
    expect(token).toMatch(/^hd1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const secret = token.split('.')[2]!;
    board.store.db.run('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir, 'board.sqlite')).includes(secret)).toBe(false);
    const row = board.store.db.get<{ token_hash: string; salt: string }>('SELECT token_hash, salt FROM users WHERE id = ?', account.id)!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.salt).toMatch(/^[0-9a-f]{32}$/);

    const verifier = createAccountVerifier(board.store);
    expect(await verifier.verify(token)).toEqual({ name: 'Maria Lopez', role: 'editor', accountId: account.id });
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await verifier.verify(forged)).toBeNull();
    await expect(addAccount(board.store, 'Maria Lopez', 'viewer')).rejects.toThrow(AccountError);
    await expect(addAccount(board.store, '../etc', 'viewer')).rejects.toThrow(/not a usable name/);

    revokeAccount(board.store, 'Maria Lopez');
    expect(await verifier.verify(token)).toBeNull();
    expect(listAccounts(board.store)).toEqual([]);
    expect(listAccounts(board.store, { includeRevoked: true })).toMatchObject([{ name: 'Maria Lopez', revokedAt: anyNumber() }]);
    // the name is free again, with a new token
    const again = await addAccount(board.store, 'Maria Lopez', 'admin');
    expect(again.token).not.toBe(token);
  });

  it('over the bridge: each token acts with its role, the desk token stays the operator, a revoked token stops at once', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated' });
    const viewer = await addAccount(board.store, 'Ola', 'viewer');
    const editor = await addAccount(board.store, 'Maria', 'editor');
    bridge = await startHttpBridge({ core: board.core, rendererDir: dirs.make(), logger: pino({ level: 'silent' }), heartbeatMs: 50 });

    expect((await command('snapshot', {}, viewer.token)).body.ok).toBe(true);
    expect((await command('approve', { articleId: 'rec-1' }, viewer.token)).body).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await command('settings', {}, editor.token)).body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await command('approve', { articleId: 'rec-1' }, editor.token)).body).toEqual({ ok: true, value: { ok: true } });
    // the desk's own token (runtime.json) is the operator: an admin
    expect((await command('secrets', {}, bridge.token)).body.ok).toBe(true);

    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${encodeURIComponent(editor.token)}`);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    revokeAccount(board.store, 'Maria');
    expect((await command('snapshot', {}, editor.token)).status).toBe(401);
    expect(await closed).toBe(4401);
    const refused = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${encodeURIComponent(editor.token)}`);
    expect(await new Promise((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode)))).toBe(401);
  });

  it('limits failed logins per address and logs them without the token', async () => {
    board = createBoardCore(dirs.make());
    const editor = await addAccount(board.store, 'Maria', 'editor');
    const { logger, lines } = capturingLogger();
    bridge = await startHttpBridge({ core: board.core, rendererDir: dirs.make(), logger });
    const wrong = `${editor.token.slice(0, -4)}AAAA`;
    for (let i = 0; i < MAX_FAILURES; i++) expect((await command('snapshot', {}, wrong)).status).toBe(401);
    const limited = await command('snapshot', {}, editor.token);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.message).toMatch(/too many failed logins from this address; try again in \d+ s/);
    const failures = await waitFor(() => {
      const found = lines.filter((line) => line.includes('failed login'));
      return found.length === MAX_FAILURES ? found : null;
    });
    for (const line of failures) {
      expect(line).not.toContain(wrong.split('.')[2]!);
      expect(JSON.parse(line)).toMatchObject({ address: '127.0.0.1', claimedAccount: editor.account.id });
    }
    expect(lines.join('')).not.toContain(editor.token.split('.')[2]!);
  });
});
