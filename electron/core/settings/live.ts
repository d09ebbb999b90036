// Applies saved settings to the running core. Values are changed in place on the objects the
// pipeline already reads at the start of each job and each round (tier settings, lanes, chains,
// the prompt builder), so nothing has to be restarted or re-wired and no job is interrupted: a job
// in flight keeps going, and what it reads next is the new value.
import { TIERS, type Tier } from '../../../shared/domain.ts';
import type { ImageProvider, SecretStore } from '../adapters/types.ts';
import { BUILTIN_PROVIDERS, buildProvider } from '../adapters/registry/index.ts';
import type { HeroDeskConfig, TierConfig } from '../config/schema.ts';
import type { SharedLimiter } from '../adapters/limits.ts';
import type { Logger } from '../base/log.ts';
import { createPromptBuilder, type PromptBuilder } from '../pipeline/prompting.ts';
import type { LaneConfig } from '../queue/lanes.ts';
import type { SettingsPlan } from './plan.ts';

/** A prompt builder whose configuration can be replaced while the core runs. */
export function createLivePrompts(rawPromptConfig: unknown): { prompts: PromptBuilder; replace: (raw: unknown) => void } {
  let current = createPromptBuilder(rawPromptConfig);
  return {
    prompts: (input) => current(input),
    replace(raw) {
      current = createPromptBuilder(raw);
    },
  };
}

export interface LiveParts {
  /** The running core's tier settings (the object the generate job and the ledger read). */
  tiers: Record<Tier, TierConfig>;
  /** The queue's lanes (the same objects the engine and the actions read). */
  lanes: Map<string, LaneConfig>;
  chains: Record<Tier, ImageProvider[]>;
  /** The pipeline's own flags, read per job. */
  flags: { breakingBudgetOverride: boolean };
  replacePrompts(raw: unknown): void;
  /** Secret names the board may set; new providers' keys are added. */
  secretNames: string[];
  secrets: SecretStore;
  logger: Logger;
  /** A raised concurrency is used now, not at the next poll. */
  wake(): void;
  /** Re-runs the adapters' checks (a provider new to a chain gets its check). */
  recheck(): void;
  /** Where a provider new to a chain counts its limits (the store, shared with the other processes). */
  providerLimiter?: SharedLimiter;
}

export interface LiveApplier {
  /** Builds what the change needs (may throw a ConfigError); nothing changes until `commit`. */
  prepare(next: HeroDeskConfig, running: HeroDeskConfig, plan: SettingsPlan): { commit(): void };
}

export function createLiveApplier(parts: LiveParts): LiveApplier {
  return {
    prepare(next, running, plan) {
      const names = new Set<string>();
      const chains = new Map<Tier, ImageProvider[]>();
      for (const tier of plan.chains) chains.set(tier, buildChain(next.tiers[tier].providers, running, parts, names));
      return {
        commit() {
          for (const tier of TIERS) {
            if (!plan.tiers.includes(tier)) continue;
            const { providers: _providers, ...values } = next.tiers[tier];
            Object.assign(parts.tiers[tier], values);
            const lane = parts.lanes.get(tier);
            if (lane) {
              // a new deadline applies to jobs queued from now on; waiting jobs keep the one they were given
              lane.concurrency = values.concurrency;
              lane.maxAttempts = values.maxAttempts;
              lane.deadlineMs = values.deadlineSeconds === null ? null : values.deadlineSeconds * 1000;
            }
          }
          for (const [tier, chain] of chains) {
            parts.chains[tier] = chain;
            parts.tiers[tier].providers = [...next.tiers[tier].providers];
          }
          if (plan.prompt) parts.replacePrompts(next.prompt);
          if (plan.breakingBudgetOverride) parts.flags.breakingBudgetOverride = next.breakingBudgetOverride;
          const added = [...names].filter((name) => !parts.secretNames.includes(name));
          if (added.length > 0) {
            parts.secretNames.push(...added);
            parts.secretNames.sort();
          }
          if (chains.size > 0) parts.recheck();
          parts.wake();
        },
      };
    },
  };
}

/** Reuses the running instance of a provider (its concurrency and rate limits carry on), builds the others. */
function buildChain(
  providerNames: readonly string[],
  running: HeroDeskConfig,
  parts: LiveParts,
  secretNames: Set<string>,
): ImageProvider[] {
  const existing = new Map(
    Object.values(parts.chains)
      .flat()
      .map((provider) => [provider.name, provider]),
  );
  const built = new Map<string, ImageProvider>();
  return providerNames.map((name) => {
    const made = existing.get(name) ?? built.get(name);
    if (made) return made;
    const entry = running.providers[name] ?? BUILTIN_PROVIDERS[name];
    if (!entry) throw new Error(`provider "${name}" is not defined`); // plan.ts sends such chains to a restart
    const provider = buildProvider(name, entry, {
      secrets: parts.secrets,
      logger: parts.logger,
      secretNames,
      providerLimiter: parts.providerLimiter,
    });
    built.set(name, provider);
    return provider;
  });
}
