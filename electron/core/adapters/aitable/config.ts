// Config for the AITable (Fusion API v1) source: where the datasheet is, which fields mean what,
// how records route to tiers, and what is written back. Field references are names or ids,
// matching `fieldKey` (the start-up check points out a mismatch).
import { z } from 'zod';
import { TierSchema } from '../../../../shared/domain.ts';
import type { AdapterLogger, AdapterServices } from '../types.ts';

export type AitableLogger = Pick<AdapterLogger, 'debug' | 'warn'>;
export type AitableDeps = AdapterServices<'debug' | 'warn'>;

const FieldRef = z.string().min(1);

const conditionShape = {
  field: FieldRef,
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .optional(),
  truthy: z.literal(true).optional(),
};
const exactlyOneTest = (c: { equals?: unknown; in?: unknown; truthy?: unknown }) =>
  [c.equals, c.in, c.truthy].filter((v) => v !== undefined).length === 1;
const EXACTLY_ONE = { message: 'give exactly one of equals, in, truthy' };

/** One test on a raw cell: exactly one of equals / in / truthy. */
export const FieldConditionSchema = z.strictObject(conditionShape).refine(exactlyOneTest, EXACTLY_ONE);
export type FieldCondition = z.infer<typeof FieldConditionSchema>;

/** One strict object (not condition ∩ tier), so an unknown key is named against every known one. */
export const RoutingRuleSchema = z.strictObject({ ...conditionShape, tier: TierSchema }).refine(exactlyOneTest, EXACTLY_ONE);
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

export const AitableMappingSchema = z.strictObject({
  headline: FieldRef.default('Headline'),
  summary: FieldRef.default('Summary'),
  section: FieldRef.nullable().default('Section'),
  /** A checkbox name is shorthand for `{ field, truthy: true }`; a priority select can use `in`. */
  breaking: z
    .union([FieldRef.transform((field): FieldCondition => ({ field, truthy: true })), FieldConditionSchema])
    .nullable()
    .default({ field: 'Breaking', truthy: true }),
  storyType: FieldRef.nullable().default(null),
  promptOverride: FieldRef.nullable().default(null),
  /** A DateTime field (or ISO 8601 text): approved stories wait for it before they reach readers. */
  embargo: FieldRef.nullable().default(null),
});
export type AitableMapping = z.infer<typeof AitableMappingSchema>;

export const WRITE_BACK_STATUSES = ['queued', 'generated', 'approved', 'published', 'failed', 'rejected'] as const;

export const AitableWriteBackSchema = z.strictObject({
  enabled: z.boolean().default(false),
  fields: z
    .strictObject({
      status: FieldRef.nullable().default('Image status'),
      imageUrl: FieldRef.nullable().default('Image URL'),
      imageAttachment: FieldRef.nullable().default(null),
      score: FieldRef.nullable().default(null),
      cost: FieldRef.nullable().default(null),
      altText: FieldRef.nullable().default(null),
      /** The caption credit line ("Illustration: AI-generated with …, The Daily"). */
      credit: FieldRef.nullable().default(null),
      /** The AI label: `aiLabels.ai` for AI output, `aiLabels.notAi` otherwise (a text or single-select field). */
      aiLabel: FieldRef.nullable().default(null),
      /** An editor's reason for approving an image that failed a safety check. */
      safetyOverride: FieldRef.nullable().default(null),
      /** Who approved the image (issue 13): an account's name. */
      approvedBy: FieldRef.nullable().default(null),
    })
    .default({
      status: 'Image status',
      imageUrl: 'Image URL',
      imageAttachment: null,
      score: null,
      cost: null,
      altText: null,
      credit: null,
      aiLabel: null,
      safetyOverride: null,
      approvedBy: null,
    }),
  /** What the AI label field says. */
  aiLabels: z
    .strictObject({ ai: z.string().min(1).default('AI-generated'), notAi: z.string().min(1).default('Not AI-generated') })
    .default({ ai: 'AI-generated', notAi: 'Not AI-generated' }),
  /** Single-select option names per state; AITable creates a missing option on first write. */
  statusLabels: z.partialRecord(z.enum(WRITE_BACK_STATUSES), z.string().min(1)).default({}),
  /** Coalescing window: reports arriving within it share one batch. */
  flushDelayMs: z.number().int().min(0).default(250),
});

export const AitableConfigSchema = z.strictObject({
  baseUrl: z.url().default('https://aitable.ai/fusion/v1'),
  datasheetId: z.string().regex(/^dst\w+$/, 'datasheet ids start with "dst"'),
  viewId: z
    .string()
    .regex(/^viw\w+$/, 'view ids start with "viw"')
    .optional(),
  /** SecretStore name of the API token, never the token itself. */
  tokenSecret: z.string().min(1).default('aitable'),
  pollIntervalMs: z.number().int().min(500).default(5000),
  /** Record timestamps are whole seconds and commits can land late: re-read this far back, dedupe. */
  overlapSeconds: z.number().int().min(0).max(300).default(3),
  /** First poll without a cursor looks back this far (client clock). */
  initialLookbackSeconds: z.number().int().min(0).default(3600),
  /** 'mapped': only edits to mapped article fields resurface a record (write-backs don't). */
  watchFields: z.enum(['mapped', 'all']).default('mapped'),
  /** How many recent record hashes the cursor keeps to drop unchanged repeats. */
  dedupeMemory: z.number().int().min(0).max(20_000).default(2000),
  pageSize: z.number().int().min(1).max(1000).default(1000),
  fieldKey: z.enum(['name', 'id']).default('name'),
  mapping: AitableMappingSchema.default(AitableMappingSchema.parse({})),
  /** First match wins; then `breakingTier` for breaking articles; then `defaultTier`. */
  routing: z.array(RoutingRuleSchema).default([]),
  breakingTier: TierSchema.nullable().default('breaking'),
  defaultTier: TierSchema.default('regular'),
  writeBack: AitableWriteBackSchema.default(AitableWriteBackSchema.parse({})),
  webhook: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(0),
      secretName: z.string().min(1).default('aitable-webhook'),
    })
    .default({ enabled: false, host: '127.0.0.1', port: 0, secretName: 'aitable-webhook' }),
  /**
   * One pipeline per datasheet (issue 13): the desk claims the datasheet with a lease it renews, kept
   * in a text field of the one record of a small datasheet of its own; a second desk sees a live
   * claim and refuses to run. Null: no claim is made or checked.
   */
  claim: z
    .strictObject({
      datasheetId: z.string().regex(/^dst\w+$/, 'datasheet ids start with "dst"'),
      /** Default: the source's baseUrl. */
      baseUrl: z.url().optional(),
      field: FieldRef.default('Claim'),
      /** A claim not renewed for this long has lapsed (the desk renews at a third of it). */
      ttlSeconds: z.number().int().min(15).max(3600).default(90),
      /** How this desk is named to others (default: host name and data folder). */
      deskName: z.string().min(1).max(120).optional(),
    })
    .nullable()
    .default(null),
  /** The API allows 5 requests/s per (token, datasheet) by default; higher plans allow more. */
  requestsPerSecond: z.number().int().min(1).max(50).default(5),
  requestTimeoutMs: z.number().int().min(100).default(30_000),
  retry: z
    .strictObject({
      retries: z.number().int().min(0).max(20).default(5),
      minTimeoutMs: z.number().int().min(0).default(500),
      maxTimeoutMs: z.number().int().min(0).default(10_000),
    })
    .default({ retries: 5, minTimeoutMs: 500, maxTimeoutMs: 10_000 }),
});
export type AitableConfig = z.infer<typeof AitableConfigSchema>;
export type AitableConfigInput = z.input<typeof AitableConfigSchema>;
