// The settings screen's core side: read the config file (with its revision), validate a draft with
// the file's own strict validator, save it (only over the revision the editor started from, never
// with a mistake in it) and apply what the running core can take at once.
import type {
  FieldCheckResult,
  SettingsDraft,
  SettingsIssue,
  SettingsSaveResult,
  SettingsView,
  SoloSetup,
  SoloSetupResult,
} from '../../../shared/contract.ts';
import { TIERS } from '../../../shared/domain.ts';
import type { SecretStore } from '../adapters/types.ts';
import { checkConfig } from './config-check.ts';
import { ConfigSchema, type HeroDeskConfig } from '../config/schema.ts';
import { errorMessage } from '../base/failures.ts';
import type { Logger } from '../base/log.ts';
import { readConfigFile, writeConfigFile, type ConfigFileState } from './config-file.ts';
import { issueOf, secretIssues } from './issues.ts';
import type { LiveApplier } from './live.ts';
import { mergeDraft } from './merge.ts';
import { planChanges, type SettingsPlan } from './plan.ts';
import { setupConfig } from './setup.ts';
import { checkSourceFields } from './source-fields.ts';
import { providerChoices, settingsValues, sourceSummary } from './view.ts';

export interface SettingsService {
  read(): SettingsView;
  validate(draft: SettingsDraft): SettingsIssue[];
  save(draft: SettingsDraft, baseRevision: string | null): SettingsSaveResult;
  checkSourceFields(draft: SettingsDraft): Promise<FieldCheckResult>;
  /** First run: this computer's source, images, storage and publishing, then the live field check. */
  setup(setup: SoloSetup, baseRevision: string | null): Promise<SoloSetupResult>;
}

export interface SettingsServiceOptions {
  configPath: string;
  /** The config the core started with. */
  config: HeroDeskConfig;
  live: LiveApplier;
  /** Told after each save what was applied and what waits for a restart (notice, log, problem). */
  onSaved(applied: string[], needsRestart: SettingsIssue[]): void;
  secrets: SecretStore;
  /** Names of the keys the config uses (their values must never be saved as settings). */
  secretNames(): readonly string[];
  /** Stores a key the setup was given; null where keys cannot be saved (no keychain: environment only). */
  storeKey?: ((name: string, value: string) => Promise<void>) | null;
  logger: Logger;
}

const DEFAULT_VALUES = settingsValues(ConfigSchema.parse({}));

export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const { configPath, logger } = options;
  // what the running core uses now: the start-up config with every live change applied
  let running: HeroDeskConfig = structuredClone(options.config);

  const knownSecrets = () => options.secretNames().flatMap((name) => options.secrets.get(name) ?? []);

  function view(file: ConfigFileState = readConfigFile(configPath)): SettingsView {
    const checked = file.error ? null : checkConfig(file.raw ?? {});
    const saved = checked?.ok ? checked.config : null;
    return {
      configPath,
      revision: file.revision,
      file: file.raw,
      fileError: file.error,
      fileIssues: checked && !checked.ok ? checked.lines.map(issueOf) : [],
      saved: saved && settingsValues(saved),
      running: settingsValues(running),
      defaults: DEFAULT_VALUES,
      pendingRestart: saved ? planChanges(running, saved).restart : [],
      providers: providerChoices(saved, running),
      source: sourceSummary(saved ?? running),
    };
  }

  /** The file with the draft in it, and every mistake the strict validator (and the key guard) finds. */
  function candidate(
    file: ConfigFileState,
    draft: SettingsDraft,
  ): { raw: Record<string, unknown>; config: HeroDeskConfig | null; issues: SettingsIssue[] } {
    if (file.error) return { raw: {}, config: null, issues: [{ path: '', message: file.error }] };
    const base = file.raw ?? {};
    const issues = secretIssues(draft, knownSecrets());
    if (draft.source !== undefined && sourceType(base) !== 'aitable') {
      issues.push({
        path: 'source',
        message: 'field mapping is for an AITable source: set source.type to "aitable" in the config file first',
      });
    }
    const raw = mergeDraft(base, draft);
    const checked = checkConfig(raw);
    if (!checked.ok) issues.push(...checked.lines.map(issueOf));
    return { raw, config: checked.ok ? checked.config : null, issues };
  }

  return {
    read: () => view(),
    validate: (draft) => candidate(readConfigFile(configPath), draft).issues,

    save(draft, baseRevision) {
      const file = readConfigFile(configPath);
      if (file.revision !== baseRevision) {
        return {
          status: 'conflict',
          message:
            'The config file was changed outside Hero Desk after these settings were loaded (edited by hand?). Nothing was saved; your edits are still here.',
          settings: view(file),
        };
      }
      const { raw, config: next, issues } = candidate(file, draft);
      if (issues.length > 0 || !next) return { status: 'invalid', issues };
      const plan = planChanges(running, next);
      let prepared;
      try {
        prepared = options.live.prepare(next, running, plan);
      } catch (error) {
        return { status: 'invalid', issues: [{ path: 'tiers', message: `${errorMessage(error)}; nothing was saved` }] };
      }
      const changed = file.raw === null ? Object.keys(raw).length > 0 : JSON.stringify(raw) !== JSON.stringify(file.raw);
      // may throw (disk full, permissions): the dispatcher reports it and nothing is applied
      if (changed) writeConfigFile(configPath, raw, file.text);
      prepared.commit();
      running = appliedConfig(running, next, plan);
      options.onSaved(plan.live, plan.restart);
      return { status: 'saved', applied: plan.live, needsRestart: plan.restart, written: changed, settings: view() };
    },

    async setup(setup, baseRevision) {
      const file = readConfigFile(configPath);
      if (file.error) return { status: 'invalid', issues: [{ path: '', message: file.error }] };
      if (file.revision !== baseRevision) {
        return {
          status: 'conflict',
          message: 'The config file was changed outside Hero Desk meanwhile (edited by hand?). Nothing was saved: reload and check it.',
        };
      }
      const { raw, keys, issues } = setupConfig(file.raw ?? {}, setup);
      if (Object.keys(keys).length > 0 && !options.storeKey) {
        issues.push({
          path: 'keys',
          message:
            'keys cannot be saved on this computer (no system keychain): leave the key fields empty, set them as HERO_DESK_SECRET_<NAME> in the environment and restart Hero Desk',
        });
      }
      const checked = checkConfig(raw);
      if (!checked.ok) issues.push(...checked.lines.map(issueOf));
      if (issues.length > 0 || !checked.ok) return { status: 'invalid', issues };
      // may throw (disk full, permissions): the dispatcher reports it, the old file stays whole
      writeConfigFile(configPath, raw, file.text);
      for (const [name, value] of Object.entries(keys)) await options.storeKey?.(name, value);
      const restart = planChanges(running, checked.config).restart;
      options.onSaved([], restart);
      logger.info({ configPath, keys: Object.keys(keys) }, 'first-run setup written');
      return {
        status: 'saved',
        configPath,
        keysSaved: Object.keys(keys).sort(),
        fieldCheck: await checkSourceFields(raw.source, options.secrets, logger),
        needsRestart: restart,
      };
    },

    async checkSourceFields(draft) {
      const file = readConfigFile(configPath);
      if (file.error) return { status: 'invalid', issues: [{ path: '', message: file.error }] };
      const raw = mergeDraft(file.raw ?? {}, draft);
      return checkSourceFields(raw.source, options.secrets, logger);
    },
  };
}

/** The running config after a live apply: `next`'s tiers, prompt and override, except chains that wait for a restart. */
/** The running config once a plan's live changes are applied: what waits for a restart stays as it runs. */
export function appliedConfig(running: HeroDeskConfig, next: HeroDeskConfig, plan: SettingsPlan): HeroDeskConfig {
  const out = structuredClone(running);
  out.prompt = structuredClone(next.prompt);
  out.breakingBudgetOverride = next.breakingBudgetOverride;
  for (const tier of TIERS) {
    const providers = plan.chains.includes(tier) ? next.tiers[tier].providers : running.tiers[tier].providers;
    out.tiers[tier] = { ...structuredClone(next.tiers[tier]), providers: [...providers] };
  }
  return out;
}

function sourceType(raw: Record<string, unknown>): unknown {
  const source = raw.source;
  return typeof source === 'object' && source !== null ? (source as { type?: unknown }).type : 'demo';
}
