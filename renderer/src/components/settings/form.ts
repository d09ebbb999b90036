// The settings form: what the inputs hold (text, exactly as typed, so a mistake stays on screen) and
// the draft sent to the core. Nothing is checked here: the core checks drafts with the config
// file's own validator and answers per field path.
import type { SettingsDraft, SettingsIssue, SettingsValues } from '../../../../shared/contract.ts';
import { TIERS, type Tier } from '../../../../shared/domain.ts';

export const TIER_NUMBERS = ['minScore', 'maxRegenerations', 'deadlineSeconds', 'maxAttempts', 'concurrency', 'dailyBudgetUsd'] as const;
type TierNumber = (typeof TIER_NUMBERS)[number];
/** Empty means "none" for these. */
const NULLABLE: readonly string[] = ['deadlineSeconds', 'dailyBudgetUsd'];

export type TierForm = { providers: string[]; lowScorePolicy: string; upgradePolicy: string } & Record<TierNumber, string>;
export interface StyleForm {
  key: string;
  illustration: string;
  /** Empty: this section never goes photoreal. */
  photo: string;
  negative: string;
  /** One of the shipped styles: it can be changed or reset, not removed. */
  builtIn: boolean;
}
export interface AliasForm {
  from: string;
  to: string;
  builtIn: boolean;
}
export const POLICY_LISTS = ['hardNewsStoryTypes', 'hardNewsSections', 'defaultImageStoryTypes', 'photorealStoryTypes'] as const;
export const MAPPING_ROLES = ['headline', 'summary', 'section', 'storyType', 'promptOverride', 'embargo'] as const;
export const WRITE_BACK_ROLES = [
  'status',
  'imageUrl',
  'imageAttachment',
  'score',
  'cost',
  'altText',
  'credit',
  'aiLabel',
  'safetyOverride',
  'approvedBy',
] as const;
export type BreakingTest = 'truthy' | 'equals' | 'in';

export interface SourceForm {
  mapping: Record<(typeof MAPPING_ROLES)[number], string>;
  breakingField: string;
  breakingTest: BreakingTest;
  /** equals: one value; in: comma-separated values. */
  breakingValue: string;
  writeBackEnabled: boolean;
  writeBack: Record<(typeof WRITE_BACK_ROLES)[number], string>;
}

export interface SettingsForm {
  tiers: Record<Tier, TierForm>;
  breakingBudgetOverride: boolean;
  hardNewsMode: string;
  lists: Record<(typeof POLICY_LISTS)[number], string>;
  baseNegative: string;
  illustrationNegative: string;
  maxSummaryChars: string;
  styles: StyleForm[];
  aliases: AliasForm[];
  source: SourceForm | null;
}

/** The shipped styles and aliases, as the screen was given them with defaults filled in. */
export interface Shipped {
  styles: ReadonlySet<string>;
  aliases: ReadonlySet<string>;
}

const text = (value: number | null) => (value === null ? '' : String(value));

export function formFrom(values: SettingsValues, shipped: Shipped): SettingsForm {
  const tiers = Object.fromEntries(
    TIERS.map((tier) => {
      const t = values.tiers[tier];
      const numbers = Object.fromEntries(TIER_NUMBERS.map((key) => [key, text(t[key])])) as Record<TierNumber, string>;
      return [
        tier,
        { ...numbers, providers: [...t.providers], lowScorePolicy: t.lowScorePolicy, upgradePolicy: t.upgradePolicy ?? 'candidate' },
      ];
    }),
  ) as Record<Tier, TierForm>;
  const { prompt } = values;
  return {
    tiers,
    breakingBudgetOverride: values.breakingBudgetOverride,
    hardNewsMode: prompt.policy.hardNewsMode,
    lists: Object.fromEntries(POLICY_LISTS.map((key) => [key, prompt.policy[key].join(', ')])) as SettingsForm['lists'],
    baseNegative: prompt.baseNegative,
    illustrationNegative: prompt.illustrationNegative,
    maxSummaryChars: String(prompt.maxSummaryChars),
    styles: Object.entries(prompt.houseStyles).map(([key, style]) => ({
      key,
      illustration: style.illustration,
      photo: style.photo ?? '',
      negative: style.negative,
      builtIn: shipped.styles.has(key),
    })),
    aliases: Object.entries(prompt.sectionAliases).map(([from, to]) => ({ from, to, builtIn: shipped.aliases.has(from) })),
    source: values.source && sourceForm(values.source),
  };
}

function sourceForm(source: NonNullable<SettingsValues['source']>): SourceForm {
  const { mapping, writeBack } = source;
  const breaking = mapping.breaking;
  const test: BreakingTest = breaking?.in ? 'in' : breaking?.equals !== undefined ? 'equals' : 'truthy';
  return {
    mapping: Object.fromEntries(MAPPING_ROLES.map((role) => [role, mapping[role] ?? ''])) as SourceForm['mapping'],
    breakingField: breaking?.field ?? '',
    breakingTest: test,
    breakingValue: breaking?.in ? breaking.in.join(', ') : breaking?.equals !== undefined ? String(breaking.equals) : '',
    writeBackEnabled: writeBack.enabled,
    writeBack: Object.fromEntries(WRITE_BACK_ROLES.map((role) => [role, writeBack.fields[role] ?? ''])) as SourceForm['writeBack'],
  };
}

/** A number as typed: a number when it reads as one, else the text itself (the validator names it). */
function numberOf(value: string, nullable: boolean): unknown {
  const trimmed = value.trim();
  if (trimmed === '') return nullable ? null : '';
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : value;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function draftFrom(form: SettingsForm): SettingsDraft {
  const tiers = Object.fromEntries(
    TIERS.map((tier) => {
      const t = form.tiers[tier];
      const numbers = Object.fromEntries(TIER_NUMBERS.map((key) => [key, numberOf(t[key], NULLABLE.includes(key))]));
      return [tier, { providers: t.providers, ...numbers, lowScorePolicy: t.lowScorePolicy, upgradePolicy: t.upgradePolicy }];
    }),
  );
  const draft: SettingsDraft = {
    tiers,
    breakingBudgetOverride: form.breakingBudgetOverride,
    prompt: {
      houseStyles: Object.fromEntries(
        form.styles.map((style) => [
          style.key.trim(),
          { illustration: style.illustration, photo: orNull(style.photo), negative: style.negative },
        ]),
      ),
      sectionAliases: Object.fromEntries(form.aliases.map((alias) => [alias.from.trim(), alias.to.trim()])),
      policy: { hardNewsMode: form.hardNewsMode, ...Object.fromEntries(POLICY_LISTS.map((key) => [key, list(form.lists[key])])) },
      baseNegative: form.baseNegative,
      illustrationNegative: form.illustrationNegative,
      maxSummaryChars: numberOf(form.maxSummaryChars, false),
    },
  };
  if (form.source) draft.source = sourceDraft(form.source);
  return draft;
}

function sourceDraft(source: SourceForm): NonNullable<SettingsDraft['source']> {
  const mapping: Record<string, unknown> = Object.fromEntries(
    MAPPING_ROLES.map((role) => [
      role,
      role === 'headline' || role === 'summary' ? source.mapping[role].trim() : orNull(source.mapping[role]),
    ]),
  );
  const field = source.breakingField.trim();
  const value = source.breakingValue.trim();
  mapping.breaking =
    field === ''
      ? null
      : source.breakingTest === 'in'
        ? { field, in: list(value) }
        : source.breakingTest === 'equals'
          ? { field, equals: value === 'true' ? true : value === 'false' ? false : value }
          : { field, truthy: true };
  return {
    mapping,
    writeBack: {
      enabled: source.writeBackEnabled,
      fields: Object.fromEntries(WRITE_BACK_ROLES.map((role) => [role, orNull(source.writeBack[role])])),
    },
  };
}

/** Issues at a path or under it (`tiers.regular.providers` also shows `…providers[1]`). */
export function issuesAt(issues: readonly SettingsIssue[], path: string): SettingsIssue[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
}

const PLACED = [
  /^tiers\.(breaking|regular|default)\.(providers|concurrency|deadlineSeconds|maxAttempts|minScore|maxRegenerations|lowScorePolicy|upgradePolicy|dailyBudgetUsd)\b/,
  /^breakingBudgetOverride$/,
  /^prompt\.(policy\.\w+|baseNegative|illustrationNegative|maxSummaryChars|houseStyles\b|sectionAliases\b)/,
  /^source\.(mapping\.\w+|writeBack\.(enabled|fields\.\w+))/,
];

/** Issues no field on the screen shows (elsewhere in the file): listed at the top instead. */
export function unplacedIssues(issues: readonly SettingsIssue[], hasSource: boolean): SettingsIssue[] {
  return issues.filter((issue) => !PLACED.some((pattern) => pattern.test(issue.path)) || (!hasSource && issue.path.startsWith('source')));
}

/** The validator's words, said the way an editor would. */
export function friendly(message: string): string {
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^Invalid input: expected number, received (string|null)$/, () => 'Enter a number'],
    [/^Invalid input: expected int, received number$/, () => 'Enter a whole number'],
    [/^Too big: expected number to be <=(\S+)$/, (m) => `At most ${m[1]}`],
    [/^Too big: expected number to be <(\S+)$/, (m) => `Less than ${m[1]}`],
    [/^Too small: expected number to be >=(\S+)$/, (m) => `At least ${m[1]}`],
    [/^Too small: expected number to be >(\S+)$/, (m) => `More than ${m[1]}`],
    [/^Too small: expected array to have >=1 items$/, () => 'Choose at least one'],
    [/^Too small: expected string to have >=1 characters$/, () => 'Required'],
  ];
  for (const [pattern, say] of rules) {
    const match = message.match(pattern);
    if (match) return say(match);
  }
  return message;
}

/** Mirrors the core's formatPath() for one more key: `prompt.houseStyles.sport`, `…["local news"]`. */
export function pathKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
