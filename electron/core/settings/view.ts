// What the settings screen shows of a (validated) config: every editable value with its defaults
// filled in, the AITable connection it may not edit, and the providers a tier may name.
import { isDeepStrictEqual } from 'node:util';
import type { SettingsValues, SettingsView } from '../../../shared/contract.ts';
import { TIERS } from '../../../shared/domain.ts';
import { AitableConfigSchema } from '../adapters/aitable/config.ts';
import { BUILTIN_PROVIDERS } from '../adapters/registry/index.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { PromptConfigSchema } from '../prompt/build-prompt.ts';

export function settingsValues(config: HeroDeskConfig): SettingsValues {
  const tiers = Object.fromEntries(
    TIERS.map((tier) => [tier, { ...config.tiers[tier], providers: [...config.tiers[tier].providers] }]),
  ) as SettingsValues['tiers'];
  const prompt = PromptConfigSchema.parse(config.prompt);
  const aitable = aitableOf(config);
  return {
    tiers,
    breakingBudgetOverride: config.breakingBudgetOverride,
    prompt: {
      houseStyles: prompt.houseStyles,
      sectionAliases: prompt.sectionAliases,
      policy: prompt.policy,
      baseNegative: prompt.baseNegative,
      illustrationNegative: prompt.illustrationNegative,
      maxSummaryChars: prompt.maxSummaryChars,
    },
    source: aitable && {
      mapping: aitable.mapping,
      writeBack: { enabled: aitable.writeBack.enabled, fields: aitable.writeBack.fields },
    },
  };
}

export function sourceSummary(config: HeroDeskConfig): SettingsView['source'] {
  const aitable = aitableOf(config);
  if (!aitable) return { type: config.source.type, baseUrl: null, datasheetId: null, viewId: null, fieldKey: 'name', tokenSecret: null };
  return {
    type: 'aitable',
    baseUrl: aitable.baseUrl,
    datasheetId: aitable.datasheetId,
    viewId: aitable.viewId ?? null,
    fieldKey: aitable.fieldKey,
    tokenSecret: aitable.tokenSecret,
  };
}

/** Providers a tier may name: the built-ins and every declared one; `usable` = the running core has its definition. */
export function providerChoices(file: HeroDeskConfig | null, running: HeroDeskConfig): SettingsView['providers'] {
  const entries = { ...BUILTIN_PROVIDERS, ...running.providers, ...(file?.providers ?? {}) };
  return Object.entries(entries).map(([name, entry]) => ({
    name,
    type: entry.type,
    usable:
      Object.hasOwn(BUILTIN_PROVIDERS, name) ||
      isDeepEqualEntry(running.providers[name], file ? file.providers[name] : running.providers[name]),
  }));
}

function isDeepEqualEntry(a: unknown, b: unknown): boolean {
  return a !== undefined && isDeepStrictEqual(a, b);
}

/** The AITable source's options with defaults, or null for another source. */
export function aitableOf(config: HeroDeskConfig) {
  if (config.source.type !== 'aitable') return null;
  const { type: _type, ...options } = config.source;
  const parsed = AitableConfigSchema.safeParse(options);
  return parsed.success ? parsed.data : null;
}
