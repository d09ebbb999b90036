// Roles, enforced by the core's dispatcher: every command of the contract, run by every role, is
// refused exactly when COMMAND_ROLES says it needs more — and a refused command changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../shared/contract.ts';
import { COMMAND_ROLES, ROLES, roleAllows, type Role } from '../../shared/roles.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs } from '../helpers/temp.ts';
import { stringContaining } from '../helpers/matchers.ts';

const dirs = tempDirs();
let board: BoardCore | null = null;
afterEach(() => {
  board?.close();
  board = null;
  dirs.cleanup();
});

describe('role enforcement', () => {
  it('walks every command for every role: refused (forbidden) exactly below the command’s role', async () => {
    board = createBoardCore(dirs.make());
    const expected = { viewer: 0, editor: 0, admin: 0 } as Record<Role, number>;
    const refusedBy = { viewer: 0, editor: 0, admin: 0 } as Record<Role, number>;
    for (const role of ROLES) {
      for (const name of COMMAND_NAMES) {
        const result = await board.core.dispatch(name, {}, { name: `a ${role}`, role });
        const allowed = roleAllows(role, COMMAND_ROLES[name]);
        const forbidden = !result.ok && result.error.code === 'forbidden';
        expect({ role, name, forbidden }).toEqual({ role, name, forbidden: !allowed });
        if (!allowed) {
          expected[role] += 1;
          if (forbidden) refusedBy[role] += 1;
          if (!result.ok) expect(result.error.message).toContain(`needs the ${COMMAND_ROLES[name]} role`);
        }
      }
    }
    expect(refusedBy).toEqual(expected);
    // the table is not trivial: viewers are refused the decisions, editors the desk's settings and keys
    expect(expected.viewer).toBeGreaterThan(expected.editor);
    expect(expected.editor).toBeGreaterThan(0);
    expect(expected.admin).toBe(0);
  });

  it('matches what the issue asks of each role', () => {
    for (const name of ['snapshot', 'cardDetail', 'ledger', 'queueState'] as const) expect(COMMAND_ROLES[name]).toBe('viewer');
    for (const name of ['approve', 'reject', 'regenerate', 'setPrompt', 'retract', 'bulk', 'uploadImage'] as const)
      expect(COMMAND_ROLES[name]).toBe('editor');
    for (const name of ['settings', 'saveSettings', 'secrets', 'setSecret'] as const) expect(COMMAND_ROLES[name]).toBe('admin');
  });

  it('a viewer’s refused approval leaves the story as it was; an editor’s goes through', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated' });
    const status = () => board!.store.db.get<{ status: string }>('SELECT status FROM articles WHERE id = ?', 'rec-1')?.status;
    const refused = await board.core.dispatch('approve', { articleId: 'rec-1' }, { name: 'Ola', role: 'viewer' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: stringContaining('Ola (viewer) may not approve') },
    });
    expect(status()).toBe('generated');
    expect(await board.core.dispatch('approve', { articleId: 'rec-1' }, { name: 'Maria', role: 'editor' })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(status()).not.toBe('generated');
  });
});
