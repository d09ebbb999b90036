// Embargo on the real core: approve now, publish at a set time. The card carries the time, readers
// get nothing before it and the story exactly once after; the embargo moves with a later edit, a
// lifted embargo lets the story go at once, Publish now skips the wait, and the editor is told why
// when a time has passed or the story is already live.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/temp.ts';
import { articleFrames, call, cardOf, coreHarness, waitForStatus, type ReaderFrame } from '../drawer/harness.ts';
import { anyNumber, stringContaining } from '../helpers/matchers.ts';

const harness = coreHarness();
afterEach(() => harness.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the first reader frame for the article arrived (ms), polling a recorded list. */
async function deliveredAt(frames: ReaderFrame[], articleId: string, timeoutMs: number): Promise<number> {
  await waitFor(() => articleFrames(frames, articleId).length > 0, timeoutMs, `${articleId} reaches readers`);
  return Date.now();
}

describe('embargo', () => {
  it('an embargo set before approval holds the story until its time, then it goes out once', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 0 } });
    await waitForStatus(core, 'recDemo003', 'generated');
    const frames = await harness.reader(core);

    const publishAt = Date.now() + 2_000;
    await call(core, 'setEmbargo', { articleId: 'recDemo003', publishAt });
    expect((await cardOf(core, 'recDemo003'))?.embargoUntil).toBe(publishAt);
    await call(core, 'approve', { articleId: 'recDemo003' });
    const approved = (await cardOf(core, 'recDemo003'))!;
    expect(approved).toMatchObject({ status: 'approved', embargoUntil: publishAt, undoUntil: null });

    const arrived = await deliveredAt(frames, 'recDemo003', 15_000);
    expect(arrived).toBeGreaterThanOrEqual(publishAt);
    expect(arrived - publishAt).toBeLessThan(10_000); // claimed within a queue poll; making the variants takes seconds here
    await waitForStatus(core, 'recDemo003', 'published', 5_000);
    expect((await cardOf(core, 'recDemo003'))?.embargoUntil).toBeNull();
    await sleep(700);
    expect(articleFrames(frames, 'recDemo003')).toHaveLength(1);
  }, 60_000);

  it('moving the embargo of an approved story moves its publication; lifting it sends the story at once', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 0 } });
    await waitForStatus(core, 'recDemo004', 'generated');
    await waitForStatus(core, 'recDemo005', 'generated');
    const frames = await harness.reader(core);

    // approved under an embargo an hour away, then moved to 2 s from now
    await call(core, 'setEmbargo', { articleId: 'recDemo004', publishAt: Date.now() + 3_600_000 });
    await call(core, 'approve', { articleId: 'recDemo004' });
    await sleep(1_200);
    expect(articleFrames(frames, 'recDemo004')).toEqual([]);
    const movedTo = Date.now() + 2_000;
    await call(core, 'setEmbargo', { articleId: 'recDemo004', publishAt: movedTo });
    expect((await cardOf(core, 'recDemo004'))?.embargoUntil).toBe(movedTo);
    expect(await deliveredAt(frames, 'recDemo004', 15_000)).toBeGreaterThanOrEqual(movedTo);

    // approved under an embargo an hour away, then lifted: out within a couple of queue polls
    await call(core, 'setEmbargo', { articleId: 'recDemo005', publishAt: Date.now() + 3_600_000 });
    await call(core, 'approve', { articleId: 'recDemo005' });
    await sleep(1_200);
    expect(articleFrames(frames, 'recDemo005')).toEqual([]);
    const liftedAt = Date.now();
    await call(core, 'setEmbargo', { articleId: 'recDemo005', publishAt: null });
    expect((await cardOf(core, 'recDemo005'))?.embargoUntil).toBeNull();
    expect((await deliveredAt(frames, 'recDemo005', 15_000)) - liftedAt).toBeLessThan(10_000);
  }, 60_000);

  it('Publish now sends an embargoed story at once; the editor is refused a past time, a live story and an unapproved one', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 30 } });
    await waitForStatus(core, 'recDemo006', 'generated');
    const frames = await harness.reader(core);

    const past = await core.dispatch('setEmbargo', { articleId: 'recDemo006', publishAt: Date.now() - 60_000 });
    expect(past).toMatchObject({ ok: false, error: { code: 'illegal_transition', message: stringContaining('Publish now') } });
    const early = await core.dispatch('publishNow', { articleId: 'recDemo006' });
    expect(early).toMatchObject({ ok: false, error: { code: 'illegal_transition', message: stringContaining('approve it first') } });

    const later = Date.now() + 3_600_000;
    await call(core, 'setEmbargo', { articleId: 'recDemo006', publishAt: later });
    await call(core, 'approve', { articleId: 'recDemo006' });
    // the wait is the embargo, not the 30 s undo window: the card counts down to the embargo
    expect(await cardOf(core, 'recDemo006')).toMatchObject({ status: 'approved', embargoUntil: later, undoUntil: null });
    const pressed = Date.now();
    await call(core, 'publishNow', { articleId: 'recDemo006' });
    expect((await deliveredAt(frames, 'recDemo006', 15_000)) - pressed).toBeLessThan(10_000); // not the hour
    await waitForStatus(core, 'recDemo006', 'published', 5_000);
    expect((await cardOf(core, 'recDemo006'))?.embargoUntil).toBeNull();

    const live = await core.dispatch('setEmbargo', { articleId: 'recDemo006', publishAt: Date.now() + 60_000 });
    expect(live).toMatchObject({
      ok: false,
      error: { code: 'illegal_transition', message: stringContaining('already on its way to readers') },
    });
    expect(await core.dispatch('setEmbargo', { articleId: 'recDemo006', publishAt: 'tomorrow' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  }, 60_000);

  it('an embargo shorter than the undo window waits for the window; undo still works under an embargo', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 3 } });
    await waitForStatus(core, 'recDemo007', 'generated');
    const frames = await harness.reader(core);
    await call(core, 'setEmbargo', { articleId: 'recDemo007', publishAt: Date.now() + 500 });
    const approvedAt = Date.now();
    await call(core, 'approve', { articleId: 'recDemo007' });
    expect((await cardOf(core, 'recDemo007'))?.undoUntil).toBeGreaterThanOrEqual(approvedAt + 2_900);
    expect((await deliveredAt(frames, 'recDemo007', 15_000)) - approvedAt).toBeGreaterThanOrEqual(2_900);

    await waitFor(() => core.workRemaining().jobs === 0, 30_000, 'every demo story generated');
    await call(core, 'setEmbargo', { articleId: 'recDemo008', publishAt: Date.now() + 3_600_000 });
    await call(core, 'approve', { articleId: 'recDemo008' });
    // a cron-style run (--once) does not wait an hour for an embargo: it is not work left; an undo window is
    expect(core.workRemaining().jobs).toBe(0);
    await call(core, 'approve', { articleId: 'recDemo009' });
    expect(core.workRemaining().jobs).toBe(1);
    await call(core, 'undoApprove', { articleId: 'recDemo008' });
    expect(await cardOf(core, 'recDemo008')).toMatchObject({ status: 'generated', embargoUntil: anyNumber() });
  }, 60_000);
});
