// The drawer's store actions against a scripted HeroDeskApi: a rejection's note goes with it, an
// undone approval brings its card back into view, a refused photo comes back as the core's words
// (shown where the file was dropped), and a failed pick is a visible notice.
import { describe, expect, it } from 'vitest';
import { CommandError, buildApi, type CommandName, type HeroDeskApi } from '../../shared/contract.ts';
import { createBoardStore } from '../../renderer/src/store/board-store.ts';
import { IDLE_QUEUE } from '../../shared/domain.ts';
import { sampleCard } from '../bridge/fake-core.ts';

function scriptedApi(answer: (name: CommandName, input: unknown) => unknown = () => ({ ok: true })) {
  const calls: { name: CommandName; input: unknown }[] = [];
  const api: HeroDeskApi = buildApi(
    async (name, input) => {
      calls.push({ name, input });
      return answer(name, input);
    },
    () => () => {},
  );
  return { api, calls };
}

describe('drawer actions in the board store', () => {
  it('sends a rejection note (trimmed), and none when it is blank', async () => {
    const { api, calls } = scriptedApi();
    const store = createBoardStore(api);
    await store.getState().reject('rec-1', '  wrong bridge  ');
    await store.getState().reject('rec-2', '   ');
    expect(calls).toEqual([
      { name: 'reject', input: { articleId: 'rec-1', reason: 'wrong bridge' } },
      { name: 'reject', input: { articleId: 'rec-2' } },
    ]);
  });

  it('selects the card whose approval was undone, and says nothing went out', async () => {
    const { api, calls } = scriptedApi();
    const store = createBoardStore(api);
    store.getState().applySnapshot({
      seq: 1,
      cards: [sampleCard({ articleId: 'a', status: 'approved' }), sampleCard({ articleId: 'b' })],
      problems: [],
      queue: IDLE_QUEUE,
    });
    store.getState().select('b');
    await store.getState().undoApprove('a');
    expect(calls).toEqual([{ name: 'undoApprove', input: { articleId: 'a' } }]);
    expect(store.getState().selectedId).toBe('a');
    expect(store.getState().notices.at(-1)?.message).toBe('Approval undone; nothing was sent to readers');
  });

  it('keeps the selection when an undo comes too late, and says why', async () => {
    const late = new CommandError({
      code: 'illegal_transition',
      message: 'Too late to undo “H”: it is already on its way to readers (use Pull from readers)',
    });
    const { api } = scriptedApi(() => {
      throw late;
    });
    const store = createBoardStore(api);
    store.getState().select('b');
    await store.getState().undoApprove('a');
    expect(store.getState().selectedId).toBe('b');
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: `Could not undo the approval: ${late.message}` });
  });

  it("returns a refused photo's reason instead of a toast, and null once it is used", async () => {
    const refusal = '“brief.pdf” is not an image Hero Desk can read; use a JPEG, PNG, WebP or AVIF photo';
    const { api, calls } = scriptedApi((name, input) => {
      if ((input as { fileName: string }).fileName === 'brief.pdf') throw new CommandError({ code: 'invalid_input', message: refusal });
      return { imageId: 7 };
    });
    const store = createBoardStore(api);
    expect(await store.getState().uploadPhoto('rec-1', { fileName: 'brief.pdf', dataBase64: 'JVBERi0=' })).toBe(refusal);
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().busy['rec-1']).toBe(false);
    expect(await store.getState().uploadPhoto('rec-1', { fileName: 'quay.jpg', dataBase64: '/9j/', credit: 'Jane Doe' })).toBeNull();
    expect(calls.at(-1)).toEqual({
      name: 'uploadImage',
      input: { articleId: 'rec-1', fileName: 'quay.jpg', dataBase64: '/9j/', credit: 'Jane Doe' },
    });
    expect(store.getState().notices.at(-1)?.message).toBe('Photo “quay.jpg” is now the image; the story is in review');
  });

  it('turns a failed pick or a failed save into a notice and a false result', async () => {
    const { api } = scriptedApi(() => {
      throw new CommandError({ code: 'illegal_transition', message: 'being published right now' });
    });
    const store = createBoardStore(api);
    expect(await store.getState().chooseCandidate('rec-1', 3)).toBe(false);
    expect(await store.getState().saveImageDetails('rec-1', 3, { focalPoint: { x: 0.2, y: 0.4 } })).toBe(false);
    expect(store.getState().notices.map((n) => n.message)).toEqual([
      'Could not use that image: being published right now',
      'Could not save the image details: being published right now',
    ]);
  });
});
