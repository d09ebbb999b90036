// Tiers side by side: provider chain, quality thresholds, deadline, attempts, concurrency, budget.
import type { ReactNode } from 'react';
import type { SettingsIssue, SettingsView } from '../../../../shared/contract.ts';
import { TIERS, type Tier } from '../../../../shared/domain.ts';
import { ChainEditor } from './ChainEditor.tsx';
import { FieldErrors, fieldProps } from './fields.tsx';
import type { SettingsForm, TierForm } from './form.ts';

export const TIER_LABEL: Record<Tier, string> = { breaking: 'Breaking', regular: 'Regular', default: 'Default' };

interface Row {
  key: keyof TierForm;
  label: string;
  hint: string;
  unit?: string;
  placeholder?: string;
}

const NUMBER_ROWS: Row[] = [
  { key: 'minScore', label: 'Minimum score', hint: 'Images scoring below this (1–10) are made again' },
  { key: 'maxRegenerations', label: 'Regenerations when low', hint: 'Extra tries after the first image (0–5)' },
  { key: 'deadlineSeconds', label: 'Deadline', hint: 'Time on this tier before dropping to the next', unit: 's', placeholder: 'none' },
  { key: 'maxAttempts', label: 'Attempts', hint: 'Runs on this tier before dropping a tier (1–20)' },
  { key: 'concurrency', label: 'Images at once', hint: 'Jobs this tier runs in parallel (1–32)' },
  {
    key: 'dailyBudgetUsd',
    label: 'Daily budget',
    hint: 'Spending cap per UTC day; past it jobs use the default tier',
    unit: 'USD',
    placeholder: 'no cap',
  },
];

interface TierSettingsProps {
  form: SettingsForm;
  issues: readonly SettingsIssue[];
  providers: SettingsView['providers'];
  onTier(tier: Tier, patch: Partial<TierForm>): void;
  onOverride(value: boolean): void;
}

export function TierSettings({ form, issues, providers, onTier, onOverride }: TierSettingsProps) {
  const cell = (tier: Tier, content: ReactNode) => (
    <td key={tier} data-tier={tier}>
      {content}
    </td>
  );
  return (
    <>
      <table className="tier-table">
        <thead>
          <tr>
            <td />
            {TIERS.map((tier) => (
              <th key={tier} id={`tier-col-${tier}`} scope="col">
                <span className={`badge tier-${tier}`}>{TIER_LABEL[tier]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" id="tier-row-providers">
              Provider chain
              <span className="setting-hint">Tried in order until one makes an image</span>
            </th>
            {TIERS.map((tier) =>
              cell(
                tier,
                <ChainEditor
                  tierLabel={TIER_LABEL[tier]}
                  path={`tiers.${tier}.providers`}
                  providers={form.tiers[tier].providers}
                  choices={providers}
                  issues={issues}
                  onChange={(next) => onTier(tier, { providers: next })}
                />,
              ),
            )}
          </tr>
          {NUMBER_ROWS.map((row) => (
            <tr key={row.key}>
              <th scope="row" id={`tier-row-${row.key}`}>
                {row.label}
                <span className="setting-hint">{row.hint}</span>
              </th>
              {TIERS.map((tier) => {
                const path = `tiers.${tier}.${row.key}`;
                return cell(
                  tier,
                  <>
                    <span className="unit-input">
                      <input
                        {...fieldProps(issues, path)}
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        aria-labelledby={`tier-col-${tier} tier-row-${row.key}`}
                        placeholder={row.placeholder}
                        value={form.tiers[tier][row.key]}
                        onChange={(event) => onTier(tier, { [row.key]: event.currentTarget.value })}
                      />
                      {row.unit && <span className="unit">{row.unit}</span>}
                    </span>
                    <FieldErrors issues={issues} path={path} />
                  </>,
                );
              })}
            </tr>
          ))}
          <tr>
            <th scope="row" id="tier-row-lowScorePolicy">
              When still low
              <span className="setting-hint">After the last regeneration</span>
            </th>
            {TIERS.map((tier) => {
              const path = `tiers.${tier}.lowScorePolicy`;
              return cell(
                tier,
                <>
                  <select
                    {...fieldProps(issues, path)}
                    aria-labelledby={`tier-col-${tier} tier-row-lowScorePolicy`}
                    value={form.tiers[tier].lowScorePolicy}
                    onChange={(event) => onTier(tier, { lowScorePolicy: event.currentTarget.value })}
                  >
                    <option value="review">Send the best to review</option>
                    <option value="default-image">Use a default image</option>
                  </select>
                  <FieldErrors issues={issues} path={path} />
                </>,
              );
            })}
          </tr>
          <tr>
            <th scope="row" id="tier-row-upgradePolicy">
              Late image
              <span className="setting-hint">Made after the deadline dropped the story a tier</span>
            </th>
            {TIERS.map((tier) => {
              const path = `tiers.${tier}.upgradePolicy`;
              return cell(
                tier,
                <>
                  <select
                    {...fieldProps(issues, path)}
                    aria-labelledby={`tier-col-${tier} tier-row-upgradePolicy`}
                    value={form.tiers[tier].upgradePolicy}
                    onChange={(event) => onTier(tier, { upgradePolicy: event.currentTarget.value })}
                  >
                    <option value="candidate">Keep it for the editor</option>
                    <option value="replace">Replace the image (republish)</option>
                    <option value="off">Do not make it</option>
                  </select>
                  <FieldErrors issues={issues} path={path} />
                </>,
              );
            })}
          </tr>
        </tbody>
      </table>
      <label className="setting-check" htmlFor="setting-breakingBudgetOverride">
        <input
          {...fieldProps(issues, 'breakingBudgetOverride')}
          id="setting-breakingBudgetOverride"
          type="checkbox"
          checked={form.breakingBudgetOverride}
          onChange={(event) => onOverride(event.currentTarget.checked)}
        />
        Breaking news may spend past its tier’s daily budget (each use is logged)
      </label>
      <FieldErrors issues={issues} path="breakingBudgetOverride" />
    </>
  );
}
