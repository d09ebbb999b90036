// The write-back carries the approver (issue 13): an approval's author goes into the outbox state
// and, when `approvedBy` is mapped, into the AITable record (the fake Fusion API).
import { afterEach, describe, expect, it } from 'vitest';
import { desiredWriteBackState } from '../../electron/core/app/write-back-state.ts';
import { createAitableWriteBack } from '../../electron/core/adapters/aitable/index.ts';
import { DEFAULT_FIELDS } from '../aitable/fake-fusion-server.ts';
import { article, configFor, fakeServers, secrets } from '../aitable/helpers.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
const servers = fakeServers();
let board: BoardCore | null = null;
afterEach(async () => {
  board?.close();
  board = null;
  dirs.cleanup();
  await servers.closeAll();
});

describe('write-back approver', () => {
  it('records who approved, clears it when the approval is undone, and writes it to the mapped field', async () => {
    board = createBoardCore(dirs.make());
    board.addStory({ id: 'rec-1', status: 'generated' });
    expect(desiredWriteBackState(board.store, 'rec-1')?.approvedBy).toBeNull();
    const approved = await board.core.dispatch('approve', { articleId: 'rec-1' }, { name: 'Maria', role: 'editor' });
    expect(approved.ok).toBe(true);
    const state = desiredWriteBackState(board.store, 'rec-1');
    expect(state).toMatchObject({ status: 'approved', approvedBy: 'Maria' });

    const fake = await servers.start({ fields: [...DEFAULT_FIELDS, { id: 'fldApprover1', name: 'Approved by', type: 'SingleText' }] });
    const recordId = fake.addRecord(article('Harbour bridge reopens'));
    const writeBack = createAitableWriteBack(
      configFor(fake, { writeBack: { enabled: true, fields: { status: 'Image status', approvedBy: 'Approved by' } } }),
      { secrets },
    );
    const outcomes = await writeBack.write(
      [
        {
          recordId,
          status: 'approved',
          imageUrl: null,
          score: null,
          costUsd: 0,
          altText: null,
          credit: null,
          aiGenerated: null,
          safetyOverride: null,
          approvedBy: state!.approvedBy ?? null,
          attachment: null,
        },
      ],
      new AbortController().signal,
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(fake.cellsOf(recordId)).toMatchObject({ 'Image status': 'Approved', 'Approved by': 'Maria' });

    // undone (within the undo window): back to review, nobody's approval on the record
    board.store.db.run("UPDATE jobs SET run_after = ? WHERE kind = 'publish'", Date.now() + 60_000);
    const undone = await board.core.dispatch('undoApprove', { articleId: 'rec-1' }, { name: 'Kim', role: 'editor' });
    expect(undone.ok).toBe(true);
    expect(desiredWriteBackState(board.store, 'rec-1')).toMatchObject({ status: 'generated', approvedBy: null });
  });
});
