// Domain vocabulary shared by the core, both transports and the board.
// Pure TypeScript + zod: no Node, no Electron, no DOM (lint-enforced).
import { z } from 'zod';

export const TIERS = ['breaking', 'regular', 'default'] as const;
export const TierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof TierSchema>;

export const ARTICLE_STATUSES = [
  'pending',
  'generating',
  'scoring',
  'generated',
  'approved',
  'publishing',
  'published',
  'rejected',
  'failed',
] as const;
export const ArticleStatusSchema = z.enum(ARTICLE_STATUSES);
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

/** The board's columns; `generating` and `approved` each gather a transient state too. */
export const BOARD_COLUMNS = [
  { id: 'pending', title: 'Pending', statuses: ['pending'] },
  { id: 'generating', title: 'Generating', statuses: ['generating', 'scoring'] },
  { id: 'generated', title: 'Awaiting review', statuses: ['generated'] },
  { id: 'rejected', title: 'Rejected', statuses: ['rejected'] },
  { id: 'approved', title: 'Approved', statuses: ['approved', 'publishing'] },
  { id: 'published', title: 'Published', statuses: ['published'] },
  { id: 'failed', title: 'Failed', statuses: ['failed'] },
] as const satisfies readonly { id: string; title: string; statuses: readonly ArticleStatus[] }[];

export const ScoreFlagSchema = z.enum([
  'identifiable_person',
  'legible_text',
  'gore',
  'photoreal_event',
  'blank_or_broken',
  'wrong_size',
  'near_duplicate',
  'low_score',
]);
export type ScoreFlag = z.infer<typeof ScoreFlagSchema>;

/** The safety gate's checks, each passed, warned or failed with its reason (pipeline/safety-checks.ts). */
export const SAFETY_CHECKS = ['text', 'people', 'violence', 'logos', 'topic', 'technical', 'duplicate'] as const;
export const SafetyCheckSchema = z.object({
  id: z.enum(SAFETY_CHECKS),
  /** What it checks, in the editor's words ("Text in the image"). */
  label: z.string(),
  state: z.enum(['pass', 'warn', 'fail']),
  reason: z.string(),
});
export type SafetyCheck = z.infer<typeof SafetyCheckSchema>;

export const CardImageSchema = z.object({
  url: z.string(),
  thumbUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  provider: z.string(),
  model: z.string(),
  contentHash: z.string(),
  /** What readers load once published (the hero web variant); null before publication. */
  publishedUrl: z.string().nullable(),
});
export type CardImage = z.infer<typeof CardImageSchema>;

/** One provider call in the card's history: which provider, and why it did or did not make the image. */
export const AttemptSummarySchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** `running`: the call is under way; `interrupted`: cut off by a crash (costed at its estimate). */
  outcome: z.enum(['ok', 'error', 'refused', 'timeout', 'low_score', 'skipped', 'running', 'interrupted']),
  detail: z.string().nullable(),
  score: z.number().nullable(),
  costUsd: z.number(),
  at: z.number(),
  // --- issue 11 (disclosure): optional, so older cores and fixtures stay valid ---
  step: z.enum(['generate', 'score', 'prompt']).optional(),
  /** The seed a generation call used; null for checks and prompt writing. */
  seed: z.number().int().nullable().optional(),
  /** The prompt a generation call sent; null for checks. */
  prompt: z.string().nullable().optional(),
  /** Made past its tier's daily budget: who or what overrode it ("auto policy: breaking news", "editor"). */
  budgetOverride: z.string().nullable().optional(),
});
export type AttemptSummary = z.infer<typeof AttemptSummarySchema>;

/** A published image pulled from readers' pages (a correction). */
export const RetractionSchema = z.object({
  reason: z.string(),
  at: z.number(),
  /** False while the retraction is still on its way to readers (or failed: see lastError). */
  delivered: z.boolean(),
});
export type Retraction = z.infer<typeof RetractionSchema>;

/** One person's decision on a story: who (an account's name, or 'operator') and when. */
export const DecisionSchema = z.object({ by: z.string(), at: z.number() });
export type Decision = z.infer<typeof DecisionSchema>;

/** One board open on the desk (issue 13): who, and which story they look at or edit. */
export const PresenceSchema = z.object({
  /** The board's connection (a random id it chose). */
  session: z.string(),
  name: z.string(),
  role: z.enum(['viewer', 'editor', 'admin']),
  /** The story open in their drawer. */
  viewing: z.string().nullable(),
  /** The story whose prompt they are editing (a soft lock: others are told, not stopped). */
  editing: z.string().nullable(),
  since: z.number(),
});
export type Presence = z.infer<typeof PresenceSchema>;

/** One attributed action in the audit log. */
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.number(),
  actor: z.string(),
  articleId: z.string().nullable(),
  headline: z.string().nullable(),
  /** The event's type in the log (status, prompt_edited, correction, …). */
  type: z.string(),
  /** What was done, in the editor's words ("approved", "edited the prompt", "retracted: wrong photo"). */
  action: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Everything the board shows about one article; pushed whole on every change. */
export const CardSchema = z.object({
  articleId: z.string(),
  headline: z.string(),
  summary: z.string(),
  section: z.string(),
  storyType: z.string().nullable(),
  breaking: z.boolean(),
  tier: TierSchema,
  /** Story policy in force, e.g. "illustration only (hard news)". */
  policy: z.string().nullable(),
  /** Readers have an image made for an older version of the story (cleared once a new image reaches them). */
  stale: z.boolean(),
  status: ArticleStatusSchema,
  prompt: z.string(),
  promptOverride: z.string().nullable(),
  image: CardImageSchema.nullable(),
  score: z.number().nullable(),
  scoreReason: z.string().nullable(),
  flags: z.array(ScoreFlagSchema),
  costUsd: z.number(),
  attempts: z.number().int(),
  history: z.array(AttemptSummarySchema),
  altText: z.string().nullable(),
  lastError: z.string().nullable(),
  /** A publication (or retraction) failed for good and can be tried again (`retryPublication`). */
  canRetryPublication: z.boolean(),
  version: z.number().int(),
  deadlineAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  // --- drawer (issue 10): optional, so older cores and test fixtures stay valid ---
  /** An approval can still be undone until this time (its publication waits for it); null otherwise. */
  undoUntil: z.number().nullable().optional(),
  /** The editor's note on the last rejection or retraction; cleared by an approval. */
  reviewNote: z.string().nullable().optional(),
  /**
   * When the story's tier wants its image on readers' pages (created + the tier's deadline); null = no
   * deadline. Defaults to null so a card from an older core still parses.
   */
  dueAt: z.number().nullable().default(null),
  /** Set once the image was pulled from readers' pages: why, when, and whether readers have got the retraction yet. */
  retraction: RetractionSchema.nullable().default(null),
  /**
   * The story is held until then (an embargo from the board or the source record); null when none is
   * ahead or it has gone out. Defaults to null so a card from an older core still parses.
   */
  embargoUntil: z.number().nullable().default(null),
  /**
   * A higher tier's image after the story dropped a tier at its deadline: 'on_the_way' while its job
   * is open, 'ready' when it arrived and waits for the editor (a candidate in the drawer).
   */
  upgrade: z.enum(['on_the_way', 'ready']).nullable().default(null),
  // --- issue 11: defaulted, so a card from an older core still parses ---
  /** What one image on the story's tier is expected to cost (price table); null = unknown. */
  estimatedCostUsd: z.number().nullable().default(null),
  /** The safety gate for the current image: every check with pass / warn / fail and why. */
  checks: z.array(SafetyCheckSchema).default([]),
  /** An editor approved the current image despite a failed check: their reason. */
  safetyOverride: z.string().nullable().default(null),
  // --- newsroom desk (issue 13): optional, so a card from an older core still parses ---
  /**
   * Changes whenever the story does (the newest event that changed it); a mutating command sends
   * the revision its board saw as `expectedRevision` and is refused with 'conflict' if it moved.
   */
  revision: z.number().int().optional(),
  /** Who last approved, rejected, retracted and edited the prompt, and when (null: nobody, or the desk itself). */
  decisions: z
    .object({
      approved: DecisionSchema.nullable(),
      rejected: DecisionSchema.nullable(),
      retracted: DecisionSchema.nullable(),
      promptEdited: DecisionSchema.nullable(),
    })
    .optional(),
});
export type Card = z.infer<typeof CardSchema>;
export type CardDecisions = NonNullable<Card['decisions']>;

/** Where an open problem lives; the board groups and words them by area. */
export const PROBLEM_AREAS = ['source', 'writeback', 'key', 'storage', 'publisher', 'provider', 'disk', 'config'] as const;

/**
 * Something wrong that outlasts one retry (AITable unreachable, a key rejected, the disk full).
 * Kept by the core until it clears, so a board opened later still sees it.
 */
export const ProblemSchema = z.object({
  /** Stable: the same fault raised again updates this problem instead of adding one. */
  id: z.string(),
  area: z.enum(PROBLEM_AREAS),
  level: z.enum(['warn', 'error']),
  /** What is wrong, in the editor's words. */
  message: z.string(),
  /** The next step that fixes it, when there is one (which key, which field, which folder). */
  action: z.string().nullable(),
  openedAt: z.number(),
  updatedAt: z.number(),
  /** How often it was seen since it opened. */
  occurrences: z.number().int(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** The queue lanes an editor can pause: one per tier, and publishing. */
export const LANES = [...TIERS, 'publish'] as const;
export const LaneSchema = z.enum(LANES);
export type Lane = z.infer<typeof LaneSchema>;

/** What the queue is doing: which lanes are paused (by whom, since when) and how much waits in each. */
/** A process working the queue: the desk, or a `hero-desk worker` beside it, and the lanes it claims. */
export const QueueProcessSchema = z.object({
  owner: z.string(),
  role: z.enum(['desk', 'worker']),
  lanes: z.array(LaneSchema),
  startedAt: z.number(),
  seenAt: z.number(),
});
export type QueueProcess = z.infer<typeof QueueProcessSchema>;

export const QueueStateSchema = z.object({
  /** Every lane paused at once. */
  pausedAll: z.boolean(),
  lanes: z.array(
    z.object({
      name: LaneSchema,
      paused: z.boolean(),
      queued: z.number().int(),
      running: z.number().int(),
    }),
  ),
  pausedSince: z.number().nullable(),
  pausedBy: z.string().nullable(),
  /** Who works the queue now (absent from older desks). */
  processes: z.array(QueueProcessSchema).optional(),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

/** Lanes no listed process claims (none when the desk does not say who works, as older desks). */
export function lanesNobodyClaims(queue: QueueState): Lane[] {
  const processes = queue.processes ?? [];
  if (processes.length === 0) return [];
  return queue.lanes.map((lane) => lane.name).filter((lane) => !processes.some((p) => p.lanes.includes(lane)));
}

/** Nothing paused, nothing waiting (a fresh install; test fakes). */
export const IDLE_QUEUE: QueueState = {
  pausedAll: false,
  lanes: LANES.map((name) => ({ name, paused: false, queued: 0, running: 0 })),
  pausedSince: null,
  pausedBy: null,
};

// --- Drawer (issue 10): candidates, the editor's own image, crops --------------------------------

/** A point in an image as fractions of its width and height (0..1); the crops centre on it. */
export const FocalPointSchema = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) });
export type FocalPoint = z.infer<typeof FocalPointSchema>;

/** Where an image came from: a provider of the tier chain, or a photo file the editor supplied. */
export const IMAGE_SOURCES = ['generated', 'editor'] as const;

/** One image made (or supplied) for a story; any of them can become the story's image. */
export const CandidateSchema = z.object({
  imageId: z.number().int(),
  /** The story's image now. */
  current: z.boolean(),
  source: z.enum(IMAGE_SOURCES),
  /** Made by an AI model: published with the AI disclosure (title cards, default images and photos are not). */
  aiGenerated: z.boolean(),
  url: z.string(),
  thumbUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  provider: z.string(),
  model: z.string(),
  prompt: z.string(),
  seed: z.number().int().nullable(),
  score: z.number().nullable(),
  scoreReason: z.string().nullable(),
  flags: z.array(ScoreFlagSchema),
  /** What making and scoring this image cost; null for photos and for images older than this record. */
  costUsd: z.number().nullable(),
  /** The scorer's better prompt for this story, if it offered one. */
  revisedPrompt: z.string().nullable(),
  /** Which generation attempt (1-based, as counted on the card) made it; null for photos. */
  attempt: z.number().int().nullable(),
  /** What readers' screen readers get: the editor's text, else the scorer's description, else the headline. */
  altText: z.string(),
  altTextOverride: z.string().nullable(),
  /** The caption credit line readers see (AI images always keep their AI label). */
  credit: z.string(),
  /** Who the editor credited (a photographer, an agency); replaces the site in the credit line. */
  creditOverride: z.string().nullable(),
  /** null: centred. */
  focalPoint: FocalPointSchema.nullable(),
  /** The file name of an editor's photo. */
  fileName: z.string().nullable(),
  createdAt: z.number(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** One prompt as it was used: every generation attempt that sent it, oldest first. */
export const PromptUseSchema = z.object({
  /** As sent to the provider. */
  prompt: z.string(),
  /** What it asked to show, without the house style and guard lines the builder adds to any prompt. */
  subject: z.string(),
  /** 1-based attempt numbers (as counted on the card) that used this prompt. */
  attempts: z.array(z.number().int()),
  firstUsedAt: z.number(),
  lastUsedAt: z.number(),
});
export type PromptUse = z.infer<typeof PromptUseSchema>;

/** What the drawer loads on demand for one story (too heavy to push with every card event). */
export const CardDetailSchema = z.object({
  articleId: z.string(),
  /** Every image made or supplied for the story, oldest first. */
  candidates: z.array(CandidateSchema),
  /** Every prompt sent to a provider, by attempt, oldest first. */
  prompts: z.array(PromptUseSchema),
  /** The scorer's revised prompt for the current image, offered as a one-click suggestion. */
  suggestedPrompt: z.string().nullable(),
});
export type CardDetail = z.infer<typeof CardDetailSchema>;
/**
 * Columns whose cards are settled: the snapshot carries only the newest `SETTLED_WINDOW` of each
 * (most recently changed first) and says how many more there are; `olderCards` pages the rest in.
 */
export const SETTLED_COLUMNS = ['rejected', 'published', 'failed'] as const;
export const SettledColumnSchema = z.enum(SETTLED_COLUMNS);
export type SettledColumn = z.infer<typeof SettledColumnSchema>;
export const SETTLED_WINDOW = 100;

/** What a bulk action did to one article: each goes through the same action and state machine as one by one. */
export const BulkResultSchema = z.object({
  articleId: z.string(),
  ok: z.boolean(),
  /** Why it did not apply (illegal transition, not found …); null when ok. */
  error: z.string().nullable(),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
