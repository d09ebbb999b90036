// The settings form: what the inputs hold round-trips to the same draft, numbers stay as typed
// until they read as numbers (so the validator, not the form, names a mistake), empty means none.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../electron/core/config/schema.ts';
import { settingsValues } from '../../electron/core/settings/view.ts';
import { draftFrom, formFrom, friendly, issuesAt, pathKey, unplacedIssues } from '../../renderer/src/components/settings/form.ts';

const aitable = ConfigSchema.parse({
  source: {
    type: 'aitable',
    datasheetId: 'dstNews001',
    mapping: { breaking: { field: 'Priority', in: ['P0', 'P1'] }, storyType: 'Type' },
    writeBack: { enabled: true },
  },
});
const shipped = { styles: new Set(['default', 'sport']), aliases: new Set(['sports']) };

describe('settings form', () => {
  it('a form made from the values gives back the same values as its draft', () => {
    const values = settingsValues(aitable);
    const draft = draftFrom(formFrom(values, shipped));
    expect(draft.tiers).toEqual(values.tiers);
    expect(draft.prompt).toEqual(values.prompt);
    expect(draft.breakingBudgetOverride).toBe(values.breakingBudgetOverride);
    expect(draft.source).toEqual({ mapping: values.source!.mapping, writeBack: values.source!.writeBack });
  });

  it('numbers as typed: a number when they read as one, the text otherwise, empty is none where none is allowed', () => {
    const form = formFrom(settingsValues(ConfigSchema.parse({})), shipped);
    form.tiers.regular.minScore = ' 6.5 ';
    form.tiers.regular.maxAttempts = 'three';
    form.tiers.regular.deadlineSeconds = '';
    form.tiers.regular.concurrency = '';
    form.maxSummaryChars = '1e2';
    form.lists.hardNewsSections = 'crime, , courts ,';
    const draft = draftFrom(form) as {
      tiers: Record<string, Record<string, unknown>>;
      prompt: { maxSummaryChars: unknown; policy: { hardNewsSections: unknown } };
    };
    expect(draft.tiers.regular).toMatchObject({ minScore: 6.5, maxAttempts: 'three', deadlineSeconds: null, concurrency: '' });
    expect(draft.prompt.maxSummaryChars).toBe(100);
    expect(draft.prompt.policy.hardNewsSections).toEqual(['crime', 'courts']);
  });

  it('the breaking test: ticked, equals (true/false become booleans), one of; no field means none', () => {
    const form = formFrom(settingsValues(aitable), shipped);
    expect(form.source).toMatchObject({ breakingField: 'Priority', breakingTest: 'in', breakingValue: 'P0, P1' });
    const breaking = () => (draftFrom(form).source!.mapping as { breaking: unknown }).breaking;
    form.source!.breakingTest = 'equals';
    form.source!.breakingValue = 'true';
    expect(breaking()).toEqual({ field: 'Priority', equals: true });
    form.source!.breakingTest = 'truthy';
    expect(breaking()).toEqual({ field: 'Priority', truthy: true });
    form.source!.breakingField = ' ';
    expect(breaking()).toBeNull();
  });

  it('places issues at their fields, lists the others, and says them plainly', () => {
    const issues = [
      { path: 'tiers.regular.providers[1]', message: '"x" is not in providers' },
      { path: 'prompt.houseStyles["local news"].photo', message: 'Invalid input' },
      { path: 'leaseSeconds', message: 'Too big: expected number to be <=600' },
    ];
    expect(issuesAt(issues, 'tiers.regular.providers')).toHaveLength(1);
    expect(issuesAt(issues, pathKey('prompt.houseStyles', 'local news'))).toHaveLength(1);
    expect(unplacedIssues(issues, false).map((issue) => issue.path)).toEqual(['leaseSeconds']);
    expect(friendly('Too big: expected number to be <=600')).toBe('At most 600');
    expect(friendly('Too small: expected number to be >0')).toBe('More than 0');
    expect(friendly('Invalid input: expected int, received number')).toBe('Enter a whole number');
  });
});
