// How a settings draft lands in the config file: untouched sections kept byte for byte, the file's
// own spellings kept, defaults not written; the validator's lines mapped to field paths; keys refused.
import { describe, expect, it } from 'vitest';
import type { SettingsDraft, SettingsValues } from '../../shared/contract.ts';
import { checkConfig } from '../../electron/core/settings/config-check.ts';
import { issueOf, secretIssues } from '../../electron/core/settings/issues.ts';
import { mergeDraft } from '../../electron/core/settings/merge.ts';
import { changedPaths, planChanges } from '../../electron/core/settings/plan.ts';
import { settingsValues } from '../../electron/core/settings/view.ts';
import { stringMatching } from '../helpers/matchers.ts';

/** The screen's values as a draft (a demo source has no mapping to send). */
const draft = (values: SettingsValues): SettingsDraft => ({ ...values, source: values.source ?? undefined });

const parse = (raw: unknown) => {
  const checked = checkConfig(raw);
  if (!checked.ok) throw new Error(checked.lines.join('\n'));
  return checked.config;
};

const FILE = {
  site: 'Harbour Gazette',
  providers: { dalle: { type: 'openai', model: 'gpt-image-1' } },
  tiers: { breaking: { providers: ['dalle', 'title-card'], minScore: 8 } },
  source: {
    type: 'aitable',
    datasheetId: 'dstNews0001',
    tokenSecret: 'aitable-newsroom',
    mapping: { breaking: 'Breaking', storyType: 'Story type' },
    writeBack: { enabled: true, statusLabels: { published: 'Live' } },
  },
  prompt: { houseStyles: { sport: { illustration: 'bold posters' } } },
  publishRetry: { baseMs: 500 },
};

describe('mergeDraft', () => {
  it('a draft of the screen values as loaded changes nothing in the file', () => {
    const values = settingsValues(parse(FILE));
    const merged = mergeDraft(FILE, draft(values));
    expect(merged).toEqual(FILE);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(FILE)); // key order too
  });

  it('writes only what changed, keeps what the screen does not edit, and leaves defaults out', () => {
    const values = settingsValues(parse(FILE));
    values.tiers.regular.minScore = 6.5;
    values.tiers.breaking.providers = ['title-card'];
    values.prompt.houseStyles.crime = { ...values.prompt.houseStyles.crime!, illustration: 'symbolic still life' };
    values.source!.mapping.summary = 'Lede';
    values.source!.writeBack.fields.score = 'Score';
    const merged = mergeDraft(FILE, draft(values));
    expect(merged.tiers).toEqual({ breaking: { providers: ['title-card'], minScore: 8 }, regular: { minScore: 6.5 } });
    expect((merged.prompt as { houseStyles: Record<string, unknown> }).houseStyles).toEqual({
      sport: { illustration: 'bold posters' },
      crime: { ...values.prompt.houseStyles.crime },
    });
    expect(merged.source).toEqual({
      ...FILE.source,
      mapping: { breaking: 'Breaking', storyType: 'Story type', summary: 'Lede' }, // shorthand kept
      writeBack: { enabled: true, statusLabels: { published: 'Live' }, fields: { score: 'Score' } },
    });
    expect(merged.site).toBe(FILE.site);
    expect(merged.providers).toBe(FILE.providers);
    expect(merged.publishRetry).toBe(FILE.publishRetry);
    expect(checkConfig(merged).ok).toBe(true);
  });

  it('a house style reset to its default leaves the file', () => {
    const values = settingsValues(parse({}));
    const custom = mergeDraft(
      {},
      {
        prompt: {
          ...values.prompt,
          houseStyles: { ...values.prompt.houseStyles, sport: { illustration: 'x', photo: null, negative: '' } },
        },
      },
    );
    expect(custom).toEqual({ prompt: { houseStyles: { sport: { illustration: 'x', photo: null, negative: '' } } } });
    expect(mergeDraft(custom, { prompt: values.prompt })).toEqual({ prompt: { houseStyles: {} } });
  });

  it('a new file gets only the values that differ from the defaults', () => {
    const values = settingsValues(parse({}));
    values.tiers.default.dailyBudgetUsd = 2;
    values.breakingBudgetOverride = false;
    expect(mergeDraft({}, draft(values))).toEqual({ tiers: { default: { dailyBudgetUsd: 2 } }, breakingBudgetOverride: false });
  });
});

describe('issues', () => {
  it('maps each validator line to its path, with the did-you-mean', () => {
    const merged = mergeDraft({}, { tiers: { regular: { minScore: 11, minScroe: 7, providers: ['titel-card'] } } });
    const checked = checkConfig(merged);
    expect(checked.ok).toBe(false);
    const issues = checked.ok ? [] : checked.lines.map(issueOf);
    expect(issues).toContainEqual({ path: 'tiers.regular.minScroe', message: 'unknown key — did you mean "minScore"?' });
    expect(issues).toContainEqual({ path: 'tiers.regular.minScore', message: stringMatching(/10/) });
    expect(issues).toContainEqual({
      path: 'tiers.regular.providers[0]',
      message: '"titel-card" is not in providers — did you mean "title-card"?',
    });
    expect(issueOf('prompt.houseStyles["local news"].photo: Invalid input')).toEqual({
      path: 'prompt.houseStyles["local news"].photo',
      message: 'Invalid input',
    });
    expect(issueOf('(top level): expected object')).toEqual({ path: '', message: 'expected object' });
  });

  it('refuses keys: known secret values and key shapes, never ordinary prose', () => {
    const draft = {
      prompt: {
        houseStyles: { local: { illustration: 'uses sk-proj-abcdefghijklmnop1234' } },
        baseNegative: 'a token of thanks: watermark, logo',
      },
      source: { mapping: { headline: 'usk0123456789abcdefXYZ' } },
      tiers: { regular: { providers: ['the-newsroom-secret-value'] } },
    };
    expect(secretIssues(draft, ['the-newsroom-secret-value']).map((issue) => issue.path)).toEqual([
      'prompt.houseStyles.local.illustration',
      'source.mapping.headline',
      'tiers.regular.providers[0]',
    ]);
  });
});

describe('planChanges', () => {
  it('tier settings, chains of known providers and the prompt apply now; the rest waits for a restart', () => {
    const running = parse(FILE);
    const next = parse({
      ...FILE,
      providers: { ...FILE.providers, sdxl: { type: 'automatic1111', baseUrl: 'http://127.0.0.1:7860' } },
      tiers: { breaking: { providers: ['title-card'], minScore: 9 }, regular: { providers: ['sdxl'] } },
      prompt: { policy: { hardNewsMode: 'default-image' } },
      source: { ...FILE.source, mapping: { breaking: 'Breaking', storyType: 'Type' } },
    });
    const plan = planChanges(running, next);
    expect(plan.live).toEqual(['tiers.breaking.providers', 'tiers.breaking.minScore', 'prompt.houseStyles', 'prompt.policy']);
    expect(plan.chains).toEqual(['breaking']);
    expect(plan.restart.map((issue) => issue.path)).toEqual(['tiers.regular.providers', 'providers.sdxl', 'source.mapping.storyType']);
    expect(plan.restart[0]!.message).toMatch(
      /"sdxl" is a provider added or changed in the file since the start: restart Hero Desk to apply/,
    );
  });

  it('changedPaths names leaves, arrays whole', () => {
    expect(changedPaths({ a: { b: 1, c: [1] } }, { a: { b: 2, c: [1, 2] }, d: 1 }, 'x')).toEqual(['x.a.b', 'x.a.c', 'x.d']);
  });
});
