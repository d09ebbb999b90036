// Story policy: which stories may get photoreal imagery, which only illustrations, which no AI image.
import type { SettingsIssue } from '../../../../shared/contract.ts';
import { FieldErrors, TextField } from './fields.tsx';
import { POLICY_LISTS, type SettingsForm } from './form.ts';

const LIST_LABELS: Record<(typeof POLICY_LISTS)[number], { label: string; hint: string }> = {
  hardNewsStoryTypes: {
    label: 'Hard-news story types',
    hint: 'Never photoreal, whatever the section (breaking stories always count as hard news)',
  },
  hardNewsSections: { label: 'Hard-news sections', hint: 'Every story in these sections is hard news' },
  defaultImageStoryTypes: {
    label: 'No AI image for story types',
    hint: 'These always get a default image (a dead person’s likeness must never be invented)',
  },
  photorealStoryTypes: { label: 'Photoreal allowed for story types', hint: 'The only types that may look like a photograph' },
};

interface PolicySettingsProps {
  form: SettingsForm;
  issues: readonly SettingsIssue[];
  onChange(patch: Partial<SettingsForm>): void;
}

export function PolicySettings({ form, issues, onChange }: PolicySettingsProps) {
  return (
    <div className="policy-grid">
      <fieldset className="setting-field policy-mode" data-path="prompt.policy.hardNewsMode">
        <legend>Hard news gets</legend>
        {(
          [
            ['illustration', 'An illustration (never photoreal)'],
            ['default-image', 'No AI image: the default image'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="setting-radio">
            <input
              type="radio"
              name="hardNewsMode"
              value={value}
              checked={form.hardNewsMode === value}
              onChange={() => onChange({ hardNewsMode: value })}
            />
            {label}
          </label>
        ))}
        <FieldErrors issues={issues} path="prompt.policy.hardNewsMode" />
      </fieldset>
      {POLICY_LISTS.map((key) => (
        <TextField
          key={key}
          label={LIST_LABELS[key].label}
          path={`prompt.policy.${key}`}
          value={form.lists[key]}
          issues={issues}
          hint={`${LIST_LABELS[key].hint}. Comma-separated.`}
          onChange={(value) => onChange({ lists: { ...form.lists, [key]: value } })}
        />
      ))}
      <TextField
        label="Always avoid"
        path="prompt.baseNegative"
        value={form.baseNegative}
        issues={issues}
        multiline
        hint="Negative prompt for every image"
        onChange={(value) => onChange({ baseNegative: value })}
      />
      <TextField
        label="Avoid when not photoreal"
        path="prompt.illustrationNegative"
        value={form.illustrationNegative}
        issues={issues}
        multiline
        hint="Added whenever a story may not look like a photograph"
        onChange={(value) => onChange({ illustrationNegative: value })}
      />
      <TextField
        label="Summary used in the prompt"
        path="prompt.maxSummaryChars"
        value={form.maxSummaryChars}
        issues={issues}
        numeric
        hint="Characters of the story’s first sentence (40–1000)"
        className="narrow-field"
        onChange={(value) => onChange({ maxSummaryChars: value })}
      />
    </div>
  );
}
