// The safety gate through the real core and the fake vision model: every check passes, warns or
// fails with its reason; auto-approval never passes a warn or a fail; an editor approving a failed
// image must give a reason, which is logged and kept on the card.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { type RunningCore } from '../../electron/core/index.ts';
import { safetyChecks } from '../../electron/core/pipeline/safety-checks.ts';
import { Store } from '../../electron/core/store/store.ts';
import { waitFor } from '../helpers/temp.ts';
import { call, cardOf, useOpenAICore } from '../helpers/openai-core.ts';
import { stringContaining } from '../helpers/matchers.ts';

const desk = useOpenAICore();
const { dirs } = desk;

function boot(config: Record<string, unknown>, dataDir = dirs.make()) {
  const premium = {
    providers: { premium: { type: 'openai', baseURL: desk.fake.baseURL, model: 'gpt-image-2' } },
    tiers: { regular: { providers: ['premium'], maxRegenerations: 0 } },
  };
  return desk.boot(
    { ...premium, scorers: [{ type: 'openai-vision', baseURL: desk.fake.baseURL }], approveUndoSeconds: 0, ...config },
    [],
    dataDir,
  );
}

const card = cardOf;
const add = async (core: RunningCore, headline: string) =>
  (await call<{ recordId: string }>(core, 'addDemoArticle', { headline, section: 'Local' })).recordId;
const stateOf = (story: Card, id: string) => story.checks.find((check) => check.id === id)?.state;

describe('safety checks', () => {
  it('derive pass / warn / fail with a reason from the flags and the score', () => {
    const clean = safetyChecks({ flags: [], score: 8, minScore: 7 });
    expect(clean.map((c) => c.id)).toEqual(['text', 'people', 'violence', 'logos', 'topic', 'technical', 'duplicate']);
    expect(clean.every((c) => c.state === 'pass' && c.reason.length > 0)).toBe(true);
    const flagged = safetyChecks({
      flags: ['identifiable_person', 'legible_text', 'gore', 'near_duplicate', 'wrong_size'],
      score: 6,
      minScore: 7,
    });
    expect(Object.fromEntries(flagged.map((c) => [c.id, c.state]))).toEqual({
      text: 'warn',
      people: 'fail',
      violence: 'fail',
      logos: 'warn',
      topic: 'warn',
      technical: 'warn',
      duplicate: 'warn',
    });
    expect(safetyChecks({ flags: ['low_score'], score: 3, minScore: 7 }).find((c) => c.id === 'topic')).toMatchObject({
      state: 'fail',
      reason: stringContaining('off topic'),
    });
    expect(safetyChecks({ flags: ['photoreal_event'], score: 8, minScore: 7 }).find((c) => c.id === 'people')?.state).toBe('warn');
    expect(safetyChecks({ flags: ['blank_or_broken'], score: 1, minScore: 7 }).find((c) => c.id === 'technical')?.state).toBe('fail');
  });
});

describe('the safety gate in the core', () => {
  it('refuses an editor approving a failed image without a reason; with one, logs it and keeps it on the card', async () => {
    const dataDir = dirs.make();
    const core = await boot({}, dataDir);
    desk.fake.queueScores({ score: 9, reason: 'A clear likeness of the mayor.', flags: ['identifiable_person'] });
    const id = await add(core, 'Mayor opens the new library');
    await waitFor(async () => (await card(core, id))?.status === 'generated', 20_000, 'generated');
    const story = (await card(core, id))!;
    expect(stateOf(story, 'people')).toBe('fail');
    expect(story.checks.find((c) => c.id === 'people')?.reason).toContain('identifiable person');
    expect(stateOf(story, 'text')).toBe('pass');

    const refused = await core.dispatch('approve', { articleId: id });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('illegal_transition');
    expect(!refused.ok && refused.error.message).toMatch(
      /failed the safety gate \(Faces \/ real people: .*\); to publish it anyway, approve with a reason/,
    );
    expect((await card(core, id))!.status).toBe('generated');
    // a blank reason is no reason
    expect((await core.dispatch('approve', { articleId: id, overrideReason: '   ' })).ok).toBe(false);
    // bulk approval has no reason to give: the failed story is reported, not approved
    const bulk = await call<{ results: { ok: boolean; error: string | null }[] }>(core, 'bulk', { action: 'approve', articleIds: [id] });
    expect(bulk.results[0]).toMatchObject({ ok: false, error: stringContaining('safety gate') });

    await call(core, 'approve', { articleId: id, overrideReason: 'Official portrait, cleared by the picture desk' });
    await waitFor(async () => (await card(core, id))?.status === 'published', 20_000, 'published');
    expect((await card(core, id))!.safetyOverride).toBe('Official portrait, cleared by the picture desk');
    await core.stop();
    const store = new Store(join(dataDir, 'hero-desk.db'));
    const logged = store.db
      .all<{ detail: string }>("SELECT detail FROM events WHERE type = 'safety_override' AND article_id = ?", id)
      .map((e) => JSON.parse(e.detail) as { reason: string; failed: string[] });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reason).toBe('Official portrait, cleared by the picture desk');
    expect(logged[0]!.failed[0]).toContain('Faces / real people');
    store.close();
  });

  it('approves a clean or warned image without a reason', async () => {
    const core = await boot({});
    desk.fake.queueScores({ score: 8, flags: ['legible_text'] });
    const id = await add(core, 'Shop sign restored on Main Street');
    await waitFor(async () => (await card(core, id))?.status === 'generated', 20_000);
    expect(stateOf((await card(core, id))!, 'text')).toBe('warn');
    await call(core, 'approve', { articleId: id });
    expect((await card(core, id))!.status).not.toBe('generated');
  });

  it('auto-approval passes only images every check passed: a warn or a fail waits for an editor', async () => {
    const core = await boot({ autoApproveMinScore: 7 });
    desk.fake.queueScores({ score: 9, flags: ['legible_text'] }, { score: 9, flags: ['gore'] }, { score: 9, flags: [] });
    const warned = await add(core, 'Street art festival');
    await waitFor(async () => (await card(core, warned))?.status === 'generated', 20_000, 'warned generated');
    const failed = await add(core, 'Crash on the ring road');
    await waitFor(async () => (await card(core, failed))?.status === 'generated', 20_000, 'failed generated');
    const clean = await add(core, 'Park reopens after renovation');
    await waitFor(async () => (await card(core, clean))?.status === 'published', 20_000, 'clean auto-approved and published');
    // the held ones stay in review
    expect((await card(core, warned))!.status).toBe('generated');
    expect(stateOf((await card(core, warned))!, 'text')).toBe('warn');
    expect((await card(core, failed))!.status).toBe('generated');
    expect(stateOf((await card(core, failed))!, 'violence')).toBe('fail');
  });
});
