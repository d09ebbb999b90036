// Costs forecast and complete: the estimate is on the card and in the ledger before anything is
// spent; the ledger has the month and per-section totals; a provider call cut off by a crash is
// counted at its estimate and marked interrupted; the breaking-news budget override says who overrode.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { countInterruptedCalls } from '../../electron/core/app/interrupted.ts';
import { ledgerFor } from '../../electron/core/app/ledger.ts';
import { TIER_DEFAULTS } from '../../electron/core/config/schema.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { beginAttempt, markInterruptedAttempts } from '../../electron/core/store/attempts.ts';
import { Store } from '../../electron/core/store/store.ts';
import { seedJob } from '../queue/fixtures.ts';
import { waitFor } from '../helpers/temp.ts';
import { call, cardOf, useOpenAICore, type DemoRecord } from '../helpers/openai-core.ts';

const desk = useOpenAICore();
const { dirs } = desk;

type Row = DemoRecord;
const boot = (config: Record<string, unknown>, records: Row[], dataDir = dirs.make()) => desk.boot(config, records, dataDir);

const card = cardOf;
const openai = () => ({ type: 'openai', baseURL: `${desk.fake.baseURL}`, model: 'gpt-image-2' });
const vision = () => ({ type: 'openai-vision', baseURL: `${desk.fake.baseURL}` });
const record = (recordId: string, fields: Record<string, unknown>): Row => ({
  recordId,
  fields: { Summary: 'Residents gathered at the harbour.', Section: 'Local', ...fields },
});

describe('the cost forecast', () => {
  it('is on the card and in the ledger before anything is spent, then the ledger has the day, the month and each section', async () => {
    const dataDir = dirs.make();
    // paused from the start: the stories wait in the queue, nothing is spent
    const core = await boot(
      { providers: { premium: openai() }, tiers: { regular: { providers: ['premium'] } }, scorers: [vision()] },
      [],
      dataDir,
    );
    await call(core, 'pause', {});
    await call(core, 'addDemoArticle', { headline: 'Harbour festival returns', section: 'Local' });
    await call(core, 'addDemoArticle', { headline: 'Council votes on the budget', section: 'Politics' });
    await waitFor(async () => (await call<{ cards: Card[] }>(core, 'snapshot')).cards.length === 2, 10_000, 'two stories in');
    const waiting = (await call<{ cards: Card[] }>(core, 'snapshot')).cards;
    for (const story of waiting) {
      expect(story.status).toBe('pending');
      expect(story.costUsd).toBe(0);
      // gpt-image-2 medium at 1792×1024 (≈ $0.056) plus the vision check
      expect(story.estimatedCostUsd).toBeGreaterThan(0.05);
      expect(story.estimatedCostUsd).toBeLessThan(0.08);
    }
    const before = await call<Ledger>(core, 'ledger');
    expect(before.totalUsd).toBe(0);
    expect(before.queued.jobs).toBe(2);
    expect(before.queued.estimatedUsd).toBeCloseTo(2 * waiting[0]!.estimatedCostUsd!, 6);
    expect(before.queued.tiers.find((t) => t.tier === 'regular')).toMatchObject({ jobs: 2 });

    await call(core, 'resume', {});
    await waitFor(
      async () => (await call<{ cards: Card[] }>(core, 'snapshot')).cards.every((c) => c.status === 'generated'),
      20_000,
      'both generated',
    );
    const today = new Date().toISOString().slice(0, 10);
    const after = await call<Ledger>(core, 'ledger', { day: today });
    expect(after.queued.jobs).toBe(0);
    expect(after.totalUsd).toBeGreaterThan(0.1);
    expect(after.month).toBe(today.slice(0, 7));
    expect(after.monthTotalUsd).toBeCloseTo(after.totalUsd, 6);
    expect(after.sections.map((s) => s.section).sort()).toEqual(['Local', 'Politics']);
    const local = after.sections.find((s) => s.section === 'Local')!;
    expect(local.dayUsd).toBeGreaterThan(0.05);
    expect(local.monthUsd).toBe(local.dayUsd);
    expect(local.calls).toBe(2); // one image, one check
    expect(after.sections.reduce((sum, s) => sum + s.dayUsd, 0)).toBeCloseTo(after.totalUsd, 6);
    // another month: nothing spent there
    const other = await call<Ledger>(core, 'ledger', { month: '2001-02' });
    expect(other).toMatchObject({ month: '2001-02', monthTotalUsd: 0 });
    expect(other.sections.every((s) => s.monthUsd === 0)).toBe(true);
    const bad = await core.dispatch('ledger', { month: '2026-13' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(bad)).toContain('a month is YYYY-MM');
  });
});

describe('a provider call cut off by a crash', () => {
  it("is marked interrupted at start and counted in the ledger at its estimate; a live process's call is left alone", () => {
    const store = new Store(join(dirs.make(), 'db.sqlite'));
    const begin = (articleId: string, owner: string | null, status: string) => {
      const jobId = seedJob(store, articleId, 'regular');
      store.db.run(
        'UPDATE jobs SET status = ?, lease_owner = ?, lease_expires_at = ? WHERE id = ?',
        status,
        owner,
        Date.now() + 30_000,
        jobId,
      );
      beginAttempt(store, {
        jobId,
        articleId,
        lane: 'regular',
        step: 'generate',
        provider: 'premium',
        model: null,
        prompt: 'a harbour',
        seed: 7,
        startedAt: store.now(),
        estimatedUsd: 0.056,
      });
      return jobId;
    };
    begin('dead', `${hostname()}:2147483646:abcd`, 'running'); // killed mid-call
    begin('requeued', null, 'queued'); // its lease ran out and the job went back to the queue
    const liveJob = begin('alive', `${hostname()}:${process.pid}:abcd`, 'running');
    const notices: string[] = [];
    store.onChange((changes) => notices.push(...changes.notices.map((n) => n.message)));

    expect(countInterruptedCalls(store, silentLogger())).toEqual({ calls: 2, costUsd: 0.112 });
    expect(notices.join()).toContain('2 provider calls cut off by an unclean stop');
    const outcomes = store.db.all<{ article_id: string; outcome: string; cost_usd: number }>(
      'SELECT article_id, outcome, cost_usd FROM attempts ORDER BY id',
    );
    expect(outcomes).toEqual([
      { article_id: 'dead', outcome: 'interrupted', cost_usd: 0.056 },
      { article_id: 'requeued', outcome: 'interrupted', cost_usd: 0.056 },
      { article_id: 'alive', outcome: 'running', cost_usd: 0 },
    ]);
    const ledger = ledgerFor(store, TIER_DEFAULTS);
    expect(ledger.interrupted).toEqual({ calls: 2, costUsd: 0.112 });
    expect(ledger.tiers.find((t) => t.tier === 'regular')).toMatchObject({ costUsd: 0.112, calls: 3 });
    // the live job's next claim (its worker died after all) marks its call too
    expect(markInterruptedAttempts(store, liveJob).calls).toBe(1);
    expect(ledgerFor(store, TIER_DEFAULTS).interrupted.calls).toBe(3);
    store.close();
  });

  it('shows on the card as interrupted with its estimated cost after a restart', async () => {
    const dataDir = dirs.make();
    const store = new Store(join(dataDir, 'hero-desk.db'));
    const jobId = seedJob(store, 'recX', 'regular');
    store.db.run(
      "UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ? WHERE id = ?",
      `${hostname()}:2147483646:abcd`,
      Date.now() - 1,
      jobId,
    );
    beginAttempt(store, {
      jobId,
      articleId: 'recX',
      lane: 'regular',
      step: 'generate',
      provider: 'premium',
      model: null,
      prompt: 'a harbour',
      seed: 7,
      startedAt: store.now(),
      estimatedUsd: 0.056,
    });
    store.close();
    const core = await boot(
      { providers: { premium: openai() }, tiers: { regular: { providers: ['premium'] } }, scorers: [vision()] },
      [],
      dataDir,
    );
    await waitFor(async () => (await card(core, 'recX'))?.status === 'generated', 20_000, 'recX regenerated after the restart');
    const history = (await card(core, 'recX'))!.history;
    expect(history[0]).toMatchObject({ provider: 'premium', outcome: 'interrupted', costUsd: 0.056, seed: 7, prompt: 'a harbour' });
    expect(history.filter((h) => h.step === 'generate' && h.outcome === 'ok')).toHaveLength(1);
    expect((await call<Ledger>(core, 'ledger')).interrupted).toEqual({ calls: 1, costUsd: 0.056 });
  });
});

describe('the breaking-news budget override', () => {
  it('records who overrode — the auto policy, or the editor who asked for the image — on the calls, in the events and on the card', async () => {
    const config = {
      providers: { premium: openai() },
      tiers: { breaking: { providers: ['premium'], dailyBudgetUsd: 0.0001, concurrency: 1 } },
      scorers: [vision()],
      breakingBudgetOverride: true,
    };
    const dataDir = dirs.make();
    const core = await boot(config, [record('recB1', { Headline: 'Bridge closed after crash', Breaking: true })], dataDir);
    await waitFor(async () => (await card(core, 'recB1'))?.status === 'generated', 20_000, 'first breaking story');
    // within budget: no override recorded
    expect((await card(core, 'recB1'))!.history.every((h) => !h.budgetOverride)).toBe(true);

    const { recordId } = await call<{ recordId: string }>(core, 'addDemoArticle', {
      headline: 'Second alarm at the docks',
      section: 'Local',
      breaking: true,
    });
    await waitFor(async () => (await card(core, recordId))?.status === 'generated', 20_000, 'second breaking story');
    const second = (await card(core, recordId))!;
    expect(second.tier).toBe('breaking'); // overridden, not dropped to the default tier
    const made = second.history.find((h) => h.step === 'generate')!;
    expect(made.budgetOverride).toBe('auto policy (breakingBudgetOverride)');

    await call(core, 'regenerate', { articleId: recordId });
    await waitFor(
      async () => (await card(core, recordId))?.history.filter((h) => h.step === 'generate').length === 2,
      20_000,
      'regenerated',
    );
    await waitFor(async () => (await card(core, recordId))?.status === 'generated', 20_000);
    const again = (await card(core, recordId))!.history.filter((h) => h.step === 'generate');
    expect(again[1]!.budgetOverride).toBe('editor (regenerate of a breaking story)');
    await core.stop();

    const store = new Store(join(dataDir, 'hero-desk.db'));
    const events = store.db
      .all<{ detail: string }>("SELECT detail FROM events WHERE type = 'budget_override' AND article_id = ? ORDER BY seq", recordId)
      .map((e) => JSON.parse(e.detail) as { by: string; tier: string; cap: number });
    expect(events.map((e) => e.by)).toEqual(['auto policy (breakingBudgetOverride)', 'editor (regenerate of a breaking story)']);
    expect(events[0]).toMatchObject({ tier: 'breaking', cap: 0.0001 });
    store.close();
  });

  it('does not override when the policy is off: the breaking story drops to the next tier, premium never called', async () => {
    const config = {
      providers: { premium: openai() },
      tiers: { breaking: { providers: ['premium'], dailyBudgetUsd: 0.0001, concurrency: 1 } },
      scorers: [vision()],
      breakingBudgetOverride: false,
    };
    const core = await boot(config, [record('recC1', { Headline: 'Storm hits the coast', Breaking: true })]);
    await waitFor(async () => (await card(core, 'recC1'))?.status === 'generated', 20_000);
    const { recordId } = await call<{ recordId: string }>(core, 'addDemoArticle', {
      headline: 'Storm: second update',
      section: 'Local',
      breaking: true,
    });
    await waitFor(async () => ['generated', 'failed'].includes((await card(core, recordId))?.status ?? ''), 20_000);
    const second = (await card(core, recordId))!;
    expect(second.tier).toBe('regular');
    expect(second.history.some((h) => h.provider === 'premium')).toBe(false);
    expect(second.history.some((h) => h.budgetOverride)).toBe(false);
  });
});
