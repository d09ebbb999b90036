// Review decisions on the real core: an approval of a regular story can be undone while its
// publication waits (nothing reaches a reader), breaking news publishes at once, a rejection keeps
// the editor's note, and a live image is only pulled by a retraction with a reason.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/temp.ts';
import { articleFrames, call, cardOf, coreHarness, waitForStatus } from './harness.ts';
import { stringContaining } from '../helpers/matchers.ts';

const harness = coreHarness();
afterEach(() => harness.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('undo an approval', () => {
  it('holds a regular story for the undo window; undo withdraws it and nothing reaches a reader', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 2 } });
    await waitForStatus(core, 'recDemo003', 'generated');
    const frames = await harness.reader(core);

    const approvedAt = Date.now();
    await call(core, 'approve', { articleId: 'recDemo003' });
    const approved = (await cardOf(core, 'recDemo003'))!;
    expect(approved.status).toBe('approved');
    expect(approved.undoUntil).toBeGreaterThanOrEqual(approvedAt + 1_900);
    expect(approved.undoUntil).toBeLessThanOrEqual(Date.now() + 2_000);

    await call(core, 'undoApprove', { articleId: 'recDemo003' });
    const undone = (await cardOf(core, 'recDemo003'))!;
    expect(undone).toMatchObject({ status: 'generated', undoUntil: null });
    await sleep(3_500); // well past the window and several queue polls
    expect(articleFrames(frames, 'recDemo003')).toEqual([]);
    expect((await cardOf(core, 'recDemo003'))?.status).toBe('generated');
    expect(await core.dispatch('undoApprove', { articleId: 'recDemo003' })).toMatchObject({
      ok: false,
      error: { code: 'illegal_transition' },
    });

    // approved again and left alone: it goes out once the window has passed, as version 2 (v1 was withdrawn)
    const again = Date.now();
    await call(core, 'approve', { articleId: 'recDemo003' });
    await waitForStatus(core, 'recDemo003', 'published', 15_000);
    expect(Date.now() - again).toBeGreaterThanOrEqual(1_900);
    await waitFor(() => articleFrames(frames, 'recDemo003').length === 1, 5_000, 'reader frame');
    expect(articleFrames(frames, 'recDemo003')[0]!.message!.version).toBe(2);
    expect((await cardOf(core, 'recDemo003'))?.undoUntil).toBeNull();
    const late = await core.dispatch('undoApprove', { articleId: 'recDemo003' });
    expect(late).toMatchObject({ ok: false, error: { code: 'illegal_transition', message: stringContaining('Pull from readers') } });
  }, 60_000);

  it('publishes breaking news at once: there is nothing to undo', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 30 } });
    const breaking = await waitFor(
      async () => {
        const result = await call<{ cards: { articleId: string; breaking: boolean; status: string }[] }>(core, 'snapshot');
        return result.cards.find((card) => card.breaking && card.status === 'generated');
      },
      20_000,
      'a breaking story in review',
    );
    await call(core, 'approve', { articleId: breaking.articleId });
    expect((await cardOf(core, breaking.articleId))?.undoUntil ?? null).toBeNull();
    await waitForStatus(core, breaking.articleId, 'published', 10_000);
  }, 40_000);
});

describe('reject and retract', () => {
  it('keeps the note of a rejection; a live image needs a retraction with a reason; approval clears the note', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 0 } });
    await waitForStatus(core, 'recDemo005', 'generated');
    await call(core, 'reject', { articleId: 'recDemo005', reason: 'Shows the wrong bridge' });
    expect(await cardOf(core, 'recDemo005')).toMatchObject({ status: 'rejected', reviewNote: 'Shows the wrong bridge' });

    // picking the image again brings it back to review (the note stays as context); approving clears it
    const { candidates } = await call<{ candidates: { imageId: number }[] }>(core, 'cardDetail', { articleId: 'recDemo005' });
    await call(core, 'chooseCandidate', { articleId: 'recDemo005', imageId: candidates[0]!.imageId });
    expect(await cardOf(core, 'recDemo005')).toMatchObject({ status: 'generated', reviewNote: 'Shows the wrong bridge' });
    await call(core, 'approve', { articleId: 'recDemo005' });
    await waitForStatus(core, 'recDemo005', 'published');
    expect((await cardOf(core, 'recDemo005'))?.reviewNote).toBeNull();

    // a stray reject (the R key) no longer pulls a live image
    const stray = await core.dispatch('reject', { articleId: 'recDemo005' });
    expect(stray).toMatchObject({
      ok: false,
      error: { code: 'illegal_transition', message: stringContaining('pull it from readers with a reason') },
    });
    expect((await cardOf(core, 'recDemo005'))?.status).toBe('published');
    expect(await core.dispatch('retract', { articleId: 'recDemo005', reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await call(core, 'retract', { articleId: 'recDemo005', reason: 'Wrong bridge pictured' });
    expect(await cardOf(core, 'recDemo005')).toMatchObject({
      status: 'rejected',
      reviewNote: 'Pulled from readers: Wrong bridge pictured',
    });
  }, 60_000);
});
