// The config file's shape. Everything has a default, so no file at all means "embedded
// defaults": demo datasheet, title cards, local scorer, local disk, bundled relay.
// Every object is strict: an unknown key is an error, never silently dropped. An adapter entry's
// options (and the prompt section) are checked against their own strict schemas by validate.ts.
import { z } from 'zod';

/** Open here only because the options depend on `type`; validate.ts checks them strictly. */
const AdapterEntry = z.looseObject({ type: z.string().min(1) });
export type AdapterEntry = z.infer<typeof AdapterEntry>;

const Tier = z.strictObject({
  /** Provider names (keys of `providers`, or the built-ins 'title-card' / 'default-image'), tried in order. */
  providers: z.array(z.string().min(1)).min(1),
  concurrency: z.number().int().min(1).max(32),
  /** Time a job may spend on this tier before dropping to the next; null = none. */
  deadlineSeconds: z.number().positive().nullable(),
  /** Runs on this tier (each may try the whole provider chain) before dropping a tier. */
  maxAttempts: z.number().int().min(1).max(20),
  /** Scores below this regenerate (default 7). */
  minScore: z.number().min(1).max(10),
  /** Regenerations after the first image when the score is low (default 2). */
  maxRegenerations: z.number().int().min(0).max(5),
  /** When every regeneration scored low: send the best to review marked low-score, or use a default image. */
  lowScorePolicy: z.enum(['review', 'default-image']),
  /** Spending cap per UTC day on this tier; past it jobs fall to the default tier. null = no cap. */
  dailyBudgetUsd: z.number().nonnegative().nullable(),
  /**
   * When a story drops from this tier at its deadline, this tier's work goes on in the background
   * (an upgrade job) while the next tier makes the fallback image. Its image then arrives as:
   * 'candidate' — kept for the editor (notice + card flag); 'replace' — made the story's image
   * (republished as a new version when already live); 'off' — dropped, as before. No effect on the
   * last tier (nothing to drop to).
   */
  upgradePolicy: z.enum(['candidate', 'replace', 'off']),
});
export type TierConfig = z.infer<typeof Tier>;

const common = { minScore: 7, maxRegenerations: 2, lowScorePolicy: 'review', dailyBudgetUsd: null, upgradePolicy: 'candidate' } as const;
/** A breaking story should have an image within a minute: past 60 s it takes the regular tier's (and upgrades later). */
export const TIER_DEFAULTS = {
  breaking: { ...common, providers: ['title-card'], concurrency: 2, deadlineSeconds: 60, maxAttempts: 2 },
  regular: { ...common, providers: ['title-card'], concurrency: 2, deadlineSeconds: 900, maxAttempts: 3 },
  default: { ...common, providers: ['default-image', 'title-card'], concurrency: 2, deadlineSeconds: null, maxAttempts: 5 },
} satisfies Record<string, TierConfig>;

/** A tier in the file may set only what it changes; the rest comes from that tier's defaults. */
const Tiers = z.preprocess(
  (raw) => {
    const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const merged: Record<string, unknown> = { ...given };
    for (const [name, defaults] of Object.entries(TIER_DEFAULTS)) {
      const tier = given[name];
      merged[name] = tier && typeof tier === 'object' ? { ...defaults, ...tier } : tier === undefined ? defaults : tier;
    }
    return merged;
  },
  z.strictObject({ breaking: Tier, regular: Tier, default: Tier }),
);

export const ConfigSchema = z.strictObject({
  /** The publication's name, for image credit lines. */
  site: z.string().min(1).max(120).nullable().default(null),
  tiers: Tiers,
  /** Named provider instances, e.g. { "openai-premium": { "type": "openai", "model": "…" } }. */
  providers: z.record(z.string(), AdapterEntry).default({}),
  /** Scorers run in order; the first that scores below threshold decides (the local check is a cheap first gate). */
  scorers: z.array(AdapterEntry).default([{ type: 'local' }]),
  source: AdapterEntry.default({ type: 'demo' }),
  /** How often the source is polled, unless the source sets its own; default: the source's (demo 1 s, aitable 5 s). */
  pollIntervalMs: z.number().int().min(200).max(600_000).optional(),
  storage: AdapterEntry.default({ type: 'disk' }),
  /**
   * Where the stories, images, queue and event log live: a SQLite file in the data folder (the
   * default), or one PostgreSQL schema shared by the desks and workers of several machines.
   */
  store: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('sqlite') }),
      z.strictObject({
        type: z.literal('postgres'),
        /** The secret holding the postgres:// URL (headless: HERO_DESK_SECRET_POSTGRESURL). */
        urlSecret: z.string().min(1).default('postgresUrl'),
        /** Each newsroom's tables in a schema of their own; lower-case letters, digits and _. */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'lower-case letters, digits and _, starting with a letter or _')
          .default('hero_desk'),
      }),
    ])
    .default({ type: 'sqlite' }),
  /** Default: the bundled relay this process runs. */
  publisher: AdapterEntry.default({ type: 'relay' }),
  relay: z
    .strictObject({
      /** Run the bundled relay in this process (the default publisher's target and the demo reader page). */
      enabled: z.boolean().default(true),
      host: z.string().default('127.0.0.1'),
      /** Unset: 4782, or a free port when that is taken; set: exactly this port (0 = any free port). */
      port: z.number().int().min(0).max(65535).optional(),
      allowedOrigins: z.array(z.string()).default([]),
    })
    .prefault({}),
  /** port unset: 4781, or a free port when that is taken; set: exactly this port (0 = any free port). */
  media: z.strictObject({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).optional() }).prefault({}),
  /** Optional LLM prompt writer, e.g. { "type": "openai", "model": "…" }; null = house styles only. */
  promptWriter: AdapterEntry.nullable().default(null),
  /** Prompt builder options (house styles, story policy): PromptConfigSchema, checked by validate.ts. */
  prompt: z.record(z.string(), z.unknown()).default({}),
  /** How long a job stays claimed without a heartbeat: after a crash, its job is picked up again this soon. */
  leaseSeconds: z.number().min(1).max(600).default(30),
  /** Deliveries (publishing to readers, the AITable write-back) retry until they succeed; these bound the (jittered) wait between tries. */
  publishRetry: z
    .strictObject({ baseMs: z.number().int().min(10).default(1_000), capMs: z.number().int().min(10).default(30_000) })
    .prefault({}),
  /** Allow breaking news to spend past its tier's daily budget (each use is logged). */
  breakingBudgetOverride: z.boolean().default(true),
  /** Auto-approve images scoring at least this (headless unattended runs); null = editors approve. */
  autoApproveMinScore: z.number().min(1).max(10).nullable().default(null),
  /**
   * How long an editor's approval of a regular story waits before it may go to readers, so a slip
   * (A on the wrong card) can be undone from the card. 5 s: long enough to see the card move and
   * reach Undo (the same as a mail client's undo-send), short next to a regular story's 15-minute
   * deadline. Breaking news publishes at once (seconds matter there; a mistake is pulled with a
   * retraction), and so do auto-approvals (nobody is watching to undo). 0 turns the window off.
   */
  approveUndoSeconds: z.number().min(0).max(60).default(5),
});

export type HeroDeskConfig = z.infer<typeof ConfigSchema>;
