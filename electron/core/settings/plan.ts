// Which saved changes the running core can take at once and which wait for a restart.
//
// Applied at once (new jobs use them): every tier setting (thresholds, low-score policy, deadline,
// attempts, concurrency, daily budget and its provider chain), the breaking-news budget override and
// the whole prompt section (house styles, story policy). A provider chain is rebuilt in place from the
// provider definitions the core started with: providers are stateless clients, so no lane needs to
// drain (a call in flight finishes on its instance; the next call takes the new chain).
//
// After a restart: everything that owns a server, a port, a cursor, an outbox worker or image
// addresses — the source (connection, field mapping, write-back), storage, publisher and relay, the
// media server — plus provider and scorer definitions, the prompt writer and the queue's lease and
// retry timing. Rebuilding those under load is where work gets lost or doubled; a restart is already
// lossless (running jobs go back to the queue).
import { isDeepStrictEqual } from 'node:util';
import type { SettingsIssue } from '../../../shared/contract.ts';
import { TIERS, type Tier } from '../../../shared/domain.ts';
import { BUILTIN_PROVIDERS } from '../adapters/registry/index.ts';
import type { HeroDeskConfig } from '../config/schema.ts';
import { pathJoin } from './issues.ts';

export interface SettingsPlan {
  /** Config paths that change in the running core. */
  live: string[];
  /** Tiers whose provider chain is rebuilt. */
  chains: Tier[];
  /** Tiers whose other settings change. */
  tiers: Tier[];
  prompt: boolean;
  breakingBudgetOverride: boolean;
  /** Saved but waiting for a restart, each with why. */
  restart: SettingsIssue[];
}

const RESTART_REASONS: Record<string, string> = {
  source: 'the story source (its connection, field mapping and write-back) is set up when Hero Desk starts',
  providers: 'provider definitions (models, addresses, key names) are built when Hero Desk starts',
  scorers: 'scorers are built when Hero Desk starts',
  promptWriter: 'the prompt writer is built when Hero Desk starts',
  storage: 'image storage, and with it every image address, is set up when Hero Desk starts',
  store: 'the database (SQLite or PostgreSQL) is opened when Hero Desk starts',
  publisher: 'publishing to readers is set up when Hero Desk starts',
  relay: 'the bundled relay is started with Hero Desk',
  media: 'the media server is started with Hero Desk',
  pollIntervalMs: 'the source is polled on a timer set when Hero Desk starts',
  leaseSeconds: 'queue leases are set when Hero Desk starts',
  publishRetry: 'delivery retry timing is set when Hero Desk starts',
  site: 'the credit line of published images is set when Hero Desk starts',
  autoApproveMinScore: 'auto-approval is set when Hero Desk starts (a --auto-approve flag wins over it)',
};
const RESTART = 'restart Hero Desk to apply';

export function planChanges(running: HeroDeskConfig, next: HeroDeskConfig): SettingsPlan {
  const plan: SettingsPlan = { live: [], chains: [], tiers: [], prompt: false, breakingBudgetOverride: false, restart: [] };
  for (const tier of TIERS) {
    const before = running.tiers[tier];
    const after = next.tiers[tier];
    for (const key of Object.keys(after) as (keyof typeof after)[]) {
      if (isDeepStrictEqual(before[key], after[key])) continue;
      const path = `tiers.${tier}.${key}`;
      if (key !== 'providers') {
        plan.live.push(path);
        if (!plan.tiers.includes(tier)) plan.tiers.push(tier);
        continue;
      }
      const unknown = after.providers.filter((name) => !buildable(name, running, next));
      if (unknown.length === 0) {
        plan.live.push(path);
        plan.chains.push(tier);
      } else {
        const names = unknown.map((name) => `"${name}"`).join(', ');
        plan.restart.push({
          path,
          message: `${names} ${unknown.length === 1 ? 'is a provider' : 'are providers'} added or changed in the file since the start: ${RESTART}`,
        });
      }
    }
  }
  if (!isDeepStrictEqual(running.prompt, next.prompt)) {
    plan.prompt = true;
    plan.live.push(...changedPaths(running.prompt, next.prompt, 'prompt'));
  }
  if (running.breakingBudgetOverride !== next.breakingBudgetOverride) {
    plan.breakingBudgetOverride = true;
    plan.live.push('breakingBudgetOverride');
  }
  for (const key of Object.keys(next) as (keyof HeroDeskConfig)[]) {
    if (key === 'tiers' || key === 'prompt' || key === 'breakingBudgetOverride') continue;
    for (const path of changedPaths(running[key], next[key], key)) {
      plan.restart.push({ path, message: `${RESTART_REASONS[key] ?? 'set when Hero Desk starts'}: ${RESTART}` });
    }
  }
  return plan;
}

/** The running core has this provider's definition, unchanged in the file. */
function buildable(name: string, running: HeroDeskConfig, next: HeroDeskConfig): boolean {
  if (Object.hasOwn(BUILTIN_PROVIDERS, name) && !Object.hasOwn(next.providers, name)) return true;
  return Object.hasOwn(running.providers, name) && isDeepStrictEqual(running.providers[name], next.providers[name]);
}

/** Leaf paths where two values differ; arrays count as one value. */
export function changedPaths(a: unknown, b: unknown, path: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (!isPlain(a) || !isPlain(b)) return [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => changedPaths(a[key], b[key], pathJoin(path, key)));
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
