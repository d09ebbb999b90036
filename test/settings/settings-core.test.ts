// The settings commands on the real core with a real config file: read, validate, save (atomic,
// over the revision it started from), live apply to the next generation, restart, hand edits.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput, SettingsValues } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { arrayContaining, objectContaining, stringContaining, stringMatching } from '../helpers/matchers.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

const NEWSROOM_KEY = 'sk-live-0123456789abcdefghij';

async function boot(dataDir: string) {
  const secrets: Record<string, string> = { openai: NEWSROOM_KEY };
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: (name) => secrets[name] },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return core;
}

async function call<K extends 'settings' | 'validateSettings' | 'saveSettings' | 'checkSourceFields' | 'snapshot'>(
  core: RunningCore,
  name: K,
  input: unknown = {},
): Promise<CommandOutput<K>> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<K>;
}

async function cardOf(core: RunningCore, id: string): Promise<Card | undefined> {
  return (await call(core, 'snapshot')).cards.find((card) => card.articleId === id);
}

/** Regenerate and wait until the new image (a provider call and a score after those before) is ready for review. */
async function regenerated(core: RunningCore, id: string): Promise<Card> {
  const calls = (await cardOf(core, id))?.history.length ?? 0;
  const result = await core.dispatch('regenerate', { articleId: id });
  expect(result.ok).toBe(true);
  return waitFor(
    async () => {
      const card = await cardOf(core, id);
      return card && card.status === 'generated' && card.history.length >= calls + 2 ? card : null;
    },
    20_000,
    `a new image for ${id}`,
  );
}

const configFile = (dataDir: string) => join(dataDir, 'hero-desk.config.json');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const draftOf = (values: SettingsValues) => ({
  tiers: values.tiers,
  breakingBudgetOverride: values.breakingBudgetOverride,
  prompt: values.prompt,
});

describe('settings on the running core', () => {
  it('reads embedded defaults without a file, and a draft with mistakes is reported per field and never written', async () => {
    const dataDir = dirs.make();
    const core = await boot(dataDir);
    const view = await call(core, 'settings');
    expect(view).toMatchObject({
      configPath: configFile(dataDir),
      revision: null,
      file: null,
      fileError: null,
      fileIssues: [],
      pendingRestart: [],
      source: { type: 'demo' },
    });
    expect(view.running.tiers.regular).toMatchObject({
      providers: ['title-card'],
      minScore: 7,
      maxRegenerations: 2,
      lowScorePolicy: 'review',
      deadlineSeconds: 900,
      dailyBudgetUsd: null,
    });
    expect(view.saved).toEqual(view.running);
    expect(view.providers.map((p) => p.name)).toEqual(['title-card', 'default-image']);

    const bad = draftOf(view.running);
    const tiers = {
      ...bad.tiers,
      regular: { ...bad.tiers.regular, minScore: 11, maxRegenerations: 'two', providers: ['titel-card'] },
      breakin: {},
    };
    const { issues } = await call(core, 'validateSettings', { draft: { ...bad, tiers } });
    expect(issues).toEqual(
      arrayContaining([
        { path: 'tiers.regular.minScore', message: stringMatching(/<=10/) },
        { path: 'tiers.regular.maxRegenerations', message: stringMatching(/expected number/) },
        { path: 'tiers.regular.providers[0]', message: '"titel-card" is not in providers — did you mean "title-card"?' },
        { path: 'tiers.breakin', message: 'unknown key — did you mean "breaking"?' },
      ]),
    );
    const save = await call(core, 'saveSettings', { draft: { ...bad, tiers }, baseRevision: null });
    expect(save.status).toBe('invalid');
    expect(existsSync(configFile(dataDir))).toBe(false);

    // a key pasted into a setting is refused, and it never reaches the file
    const leaky = { ...bad, prompt: { ...bad.prompt, baseNegative: `text, ${NEWSROOM_KEY}` } };
    const refused = await call(core, 'saveSettings', { draft: leaky, baseRevision: null });
    expect(refused).toEqual({
      status: 'invalid',
      issues: [{ path: 'prompt.baseNegative', message: stringMatching(/keys never go in the config file; paste it in Keys/) }],
    });
    expect(existsSync(configFile(dataDir))).toBe(false);

    // the contract itself refuses sections the screen may not touch
    const other = await core.dispatch('saveSettings', { draft: { storage: { type: 'r2' } }, baseRevision: null });
    expect(other).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a saved minScore, chain and house style take effect on the next generation without a restart', async () => {
    const dataDir = dirs.make();
    const handWritten = { site: 'Harbour Gazette', tiers: { breaking: { minScore: 8 } }, publishRetry: { baseMs: 400 } };
    writeFileSync(configFile(dataDir), `${JSON.stringify(handWritten, null, 4)}\n`, { mode: 0o600 });
    const core = await boot(dataDir);
    await waitFor(
      async () => (await call(core, 'snapshot')).cards.filter((c) => c.status === 'generated').length === 12,
      30_000,
      '12 generated',
    );
    const before = await cardOf(core, 'recDemo002');
    expect(before?.flags).not.toContain('low_score');

    const view = await call(core, 'settings');
    const draft = draftOf(view.saved!);
    draft.tiers.regular.minScore = 10; // above the local scorer's pass mark: every regular image now scores low
    draft.prompt.houseStyles.culture = { illustration: 'cut-paper collage in teal and orange', photo: null, negative: '' };
    draft.tiers.default.providers = ['title-card'];
    draft.tiers.regular.providers = ['default-image', 'title-card'];
    const saved = await call(core, 'saveSettings', { draft, baseRevision: view.revision });
    expect(saved).toMatchObject({ status: 'saved', written: true, needsRestart: [] });
    if (saved.status !== 'saved') return;
    expect(saved.applied).toEqual(['tiers.regular.providers', 'tiers.regular.minScore', 'tiers.default.providers', 'prompt.houseStyles']);
    expect(saved.settings.running.tiers.regular.minScore).toBe(10);
    expect(saved.settings.pendingRestart).toEqual([]);

    // the file: the edit in, everything else as it was (indentation and mode too)
    const text = readFileSync(configFile(dataDir), 'utf8');
    expect(text).toMatch(/^\{\n {4}"site"/);
    expect(JSON.parse(text)).toEqual({
      site: 'Harbour Gazette',
      tiers: {
        breaking: { minScore: 8 },
        regular: { providers: ['default-image', 'title-card'], minScore: 10 },
        default: { providers: ['title-card'] },
      },
      publishRetry: { baseMs: 400 },
      prompt: { houseStyles: { culture: { illustration: 'cut-paper collage in teal and orange', photo: null, negative: '' } } },
    });
    expect(text).not.toContain(NEWSROOM_KEY);

    const politics = await regenerated(core, 'recDemo002');
    expect(politics.flags).toContain('low_score');
    expect(politics.image?.provider).toBe('default-image'); // the rebuilt chain
    const culture = await regenerated(core, 'recDemo003');
    expect(before?.image?.provider).toBe('title-card');
    expect(culture.prompt).toContain('cut-paper collage in teal and orange');
    // the ledger and app info read the same live tier settings
    const info = await core.dispatch('appInfo', {});
    expect(info).toMatchObject({ ok: true, value: { thresholds: { minScore: 10 } } });
  }, 60_000);

  it('a chain swapped while stories are generating loses no job: all end for review, the later ones on the new chain', async () => {
    const dataDir = dirs.make();
    const core = await boot(dataDir);
    const view = await call(core, 'settings');
    const draft = draftOf(view.running);
    draft.tiers.regular.providers = ['default-image'];
    draft.tiers.regular.concurrency = 1;
    expect((await call(core, 'saveSettings', { draft, baseRevision: null })).status).toBe('saved');
    const cards = await waitFor(
      async () => {
        const all = (await call(core, 'snapshot')).cards;
        return all.length === 12 && all.every((c) => ['generated', 'failed'].includes(c.status)) ? all : null;
      },
      30_000,
      'every story settled',
    );
    expect(cards.filter((c) => c.status !== 'generated')).toEqual([]);
    const regular = cards.filter((c) => c.tier === 'regular');
    expect(regular.filter((c) => c.image?.provider === 'default-image').length).toBeGreaterThan(0);
    expect(regular.every((c) => ['default-image', 'title-card'].includes(c.image?.provider ?? ''))).toBe(true);
  });

  it('a hand edit made while the screen was open is never overwritten unseen; saving onto it keeps both', async () => {
    const dataDir = dirs.make();
    writeFileSync(configFile(dataDir), JSON.stringify({ site: 'Gazette' }));
    const core = await boot(dataDir);
    const view = await call(core, 'settings');
    const draft = draftOf(view.saved!);
    draft.tiers.breaking.dailyBudgetUsd = 5;

    // an admin edits the file by hand meanwhile
    writeFileSync(configFile(dataDir), JSON.stringify({ site: 'Gazette', leaseSeconds: 45 }, null, 2));
    const conflict = await call(core, 'saveSettings', { draft, baseRevision: view.revision });
    expect(conflict).toMatchObject({ status: 'conflict', message: stringMatching(/changed outside Hero Desk/) });
    expect(readJson(configFile(dataDir))).toEqual({ site: 'Gazette', leaseSeconds: 45 });
    if (conflict.status !== 'conflict') return;
    expect(conflict.settings.pendingRestart).toEqual([{ path: 'leaseSeconds', message: stringMatching(/restart Hero Desk to apply/) }]);

    // the editor chooses to save onto the new file: the hand edit stays, the budget goes in
    const saved = await call(core, 'saveSettings', { draft, baseRevision: conflict.settings.revision });
    expect(saved).toMatchObject({ status: 'saved', applied: ['tiers.breaking.dailyBudgetUsd'], needsRestart: [{ path: 'leaseSeconds' }] });
    expect(readJson(configFile(dataDir))).toEqual({ site: 'Gazette', leaseSeconds: 45, tiers: { breaking: { dailyBudgetUsd: 5 } } });
    const ledger = await core.dispatch('ledger', {});
    expect(ledger).toMatchObject({
      ok: true,
      value: { tiers: arrayContaining([objectContaining({ tier: 'breaking', budgetUsd: 5 })]) },
    });

    // what waits for a restart is an open problem until the restart
    const problems = (await call(core, 'snapshot')).problems;
    expect(problems).toContainEqual(
      objectContaining({ id: 'settings:restart', area: 'config', level: 'warn', message: stringContaining('leaseSeconds') }),
    );

    // a file that is not JSON any more: said plainly, nothing written over it
    writeFileSync(configFile(dataDir), '{ "site": "Gazette", ');
    const broken = await call(core, 'settings');
    expect(broken.fileError).toMatch(/not valid JSON .*fix it by hand, then reload settings/);
    const refused = await call(core, 'saveSettings', { draft, baseRevision: broken.revision });
    expect(refused).toMatchObject({ status: 'invalid', issues: [{ path: '', message: stringMatching(/not valid JSON/) }] });
    expect(readFileSync(configFile(dataDir), 'utf8')).toBe('{ "site": "Gazette", ');
  });

  it('after a restart the saved settings are what runs, and nothing waits any more', async () => {
    const dataDir = dirs.make();
    let core = await boot(dataDir);
    const view = await call(core, 'settings');
    const draft = draftOf(view.running);
    draft.tiers.regular.maxRegenerations = 4;
    draft.tiers.breaking.upgradePolicy = 'replace';
    draft.prompt.policy.hardNewsMode = 'default-image';
    const saved = await call(core, 'saveSettings', { draft, baseRevision: null });
    expect(saved.status).toBe('saved');
    if (saved.status === 'saved') expect(saved.applied).toContain('tiers.breaking.upgradePolicy'); // live: read at each deadline
    writeFileSync(configFile(dataDir), JSON.stringify({ ...readJson(configFile(dataDir)), leaseSeconds: 40 }));
    expect((await call(core, 'settings')).pendingRestart.map((issue) => issue.path)).toEqual(['leaseSeconds']);

    await core.stop();
    cores.splice(cores.indexOf(core), 1);
    core = await boot(dataDir);
    const after = await call(core, 'settings');
    expect(after.running.tiers.regular.maxRegenerations).toBe(4);
    expect(after.running.tiers.breaking.upgradePolicy).toBe('replace');
    expect(after.running.prompt.policy.hardNewsMode).toBe('default-image');
    expect(after.saved).toEqual(after.running);
    expect(after.pendingRestart).toEqual([]);
    expect((await call(core, 'snapshot')).problems.map((p) => p.id)).not.toContain('settings:restart');
  });
});
