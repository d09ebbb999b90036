// The one contract between the board and the core. Both transports (Electron IPC and the
// local HTTP/WebSocket bridge) are generated from this table, and both validate with it.
import { z } from 'zod';
import { ActorSchema } from './roles.ts';
import {
  AuditEntrySchema,
  BulkResultSchema,
  PresenceSchema,
  CardDetailSchema,
  CardSchema,
  FocalPointSchema,
  LaneSchema,
  ProblemSchema,
  QueueStateSchema,
  SettledColumnSchema,
} from './domain.ts';

const ArticleRef = z.object({ articleId: z.string().min(1).max(200) });
/**
 * A change to one story: it may carry the card's revision its board saw (issue 13), and is refused
 * with 'conflict' when the story changed since. Absent: no check (the shell commands, older boards).
 */
const ArticleChange = ArticleRef.extend({ expectedRevision: z.number().int().nonnegative().optional() });
const Ok = z.object({ ok: z.literal(true) });

export const LedgerSchema = z.object({
  day: z.string(),
  totalUsd: z.number(),
  tiers: z.array(z.object({ tier: z.string(), costUsd: z.number(), calls: z.number().int(), budgetUsd: z.number().nullable() })),
  articles: z.array(z.object({ articleId: z.string(), headline: z.string(), costUsd: z.number(), status: z.string() })),
  // --- issue 11: defaulted, so an older core's ledger still parses ---
  /** The UTC month the month totals cover (YYYY-MM). */
  month: z.string().default(''),
  monthTotalUsd: z.number().default(0),
  /** Spend per section for the day and for the month. */
  sections: z.array(z.object({ section: z.string(), dayUsd: z.number(), monthUsd: z.number(), calls: z.number().int() })).default([]),
  /** Calls cut off by a crash, counted at their estimated cost (within the day). */
  interrupted: z.object({ calls: z.number().int(), costUsd: z.number() }).default({ calls: 0, costUsd: 0 }),
  /** What the stories waiting for an image are expected to cost (one image each, price table). */
  queued: z
    .object({
      jobs: z.number().int(),
      estimatedUsd: z.number(),
      /** Jobs on a tier whose provider has no known price (not in estimatedUsd). */
      unpriced: z.number().int(),
      tiers: z.array(z.object({ tier: z.string(), jobs: z.number().int(), perImageUsd: z.number().nullable() })),
    })
    .default({ jobs: 0, estimatedUsd: 0, unpriced: 0, tiers: [] }),
});
export type Ledger = z.infer<typeof LedgerSchema>;

export const SecretsStatusSchema = z.object({
  /** False when the store cannot save (e.g. no OS encryption); keys then come from the environment. */
  writable: z.boolean(),
  secrets: z.array(z.object({ name: z.string(), source: z.enum(['environment', 'keychain', 'file']).nullable() })),
});
export type SecretsStatus = z.infer<typeof SecretsStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  transport: z.enum(['ipc', 'web']),
  readerUrl: z.string().nullable(),
  autoApproveMinScore: z.number().nullable(),
  thresholds: z.object({ minScore: z.number() }),
  /** Who this board acts as (issue 13): an account, or the desk's operator; absent from older cores. */
  actor: ActorSchema.optional(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------- Settings (the settings screen) ----------
// The screen edits a few sections of the config file. Drafts travel loosely typed on purpose: the
// core checks them with the config file's own strict validator and answers with its lines mapped to
// field paths, so a bad value is shown next to its field instead of failing here.

/** One mistake, at the config path it names (`tiers.breaking.minScore`, `source.mapping.headline`). */
export const SettingsIssueSchema = z.object({ path: z.string(), message: z.string() });
export type SettingsIssue = z.infer<typeof SettingsIssueSchema>;

/** The sections the screen may change; anything else in the file is kept as it is. */
export const SettingsDraftSchema = z.strictObject({
  tiers: z.unknown().optional(),
  breakingBudgetOverride: z.unknown().optional(),
  prompt: z.unknown().optional(),
  /** Only an AITable source's field mapping and write-back fields (never its connection or key names). */
  source: z.strictObject({ mapping: z.unknown().optional(), writeBack: z.unknown().optional() }).optional(),
});
export type SettingsDraft = z.infer<typeof SettingsDraftSchema>;

const SettingsTierSchema = z.object({
  providers: z.array(z.string()),
  concurrency: z.number(),
  deadlineSeconds: z.number().nullable(),
  maxAttempts: z.number(),
  minScore: z.number(),
  maxRegenerations: z.number(),
  lowScorePolicy: z.enum(['review', 'default-image']),
  dailyBudgetUsd: z.number().nullable(),
  /** What a late upgrade image does (config tiers.*.upgradePolicy); optional so older cores parse. */
  upgradePolicy: z.enum(['candidate', 'replace', 'off']).optional(),
});
export type SettingsTier = z.infer<typeof SettingsTierSchema>;

const FieldTestSchema = z.object({
  field: z.string(),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z.array(z.union([z.string(), z.number()])).optional(),
  truthy: z.literal(true).optional(),
});

export const SettingsValuesSchema = z.object({
  tiers: z.object({ breaking: SettingsTierSchema, regular: SettingsTierSchema, default: SettingsTierSchema }),
  breakingBudgetOverride: z.boolean(),
  prompt: z.object({
    houseStyles: z.record(z.string(), z.object({ illustration: z.string(), photo: z.string().nullable(), negative: z.string() })),
    sectionAliases: z.record(z.string(), z.string()),
    policy: z.object({
      hardNewsStoryTypes: z.array(z.string()),
      hardNewsSections: z.array(z.string()),
      hardNewsMode: z.enum(['illustration', 'default-image']),
      defaultImageStoryTypes: z.array(z.string()),
      photorealStoryTypes: z.array(z.string()),
    }),
    baseNegative: z.string(),
    illustrationNegative: z.string(),
    maxSummaryChars: z.number(),
  }),
  /** Null unless the source is AITable. */
  source: z
    .object({
      mapping: z.object({
        headline: z.string(),
        summary: z.string(),
        section: z.string().nullable(),
        breaking: FieldTestSchema.nullable(),
        storyType: z.string().nullable(),
        promptOverride: z.string().nullable(),
        /** Optional so a view from an older core still parses. */
        embargo: z.string().nullable().optional(),
      }),
      writeBack: z.object({
        enabled: z.boolean(),
        fields: z.object({
          status: z.string().nullable(),
          imageUrl: z.string().nullable(),
          imageAttachment: z.string().nullable(),
          score: z.string().nullable(),
          cost: z.string().nullable(),
          altText: z.string().nullable(),
          // disclosure (issue 11): optional, so an older core's view still parses
          credit: z.string().nullable().optional(),
          aiLabel: z.string().nullable().optional(),
          safetyOverride: z.string().nullable().optional(),
          // newsroom desk (issue 13): optional, so an older core's view still parses
          approvedBy: z.string().nullable().optional(),
        }),
      }),
    })
    .nullable(),
});
export type SettingsValues = z.infer<typeof SettingsValuesSchema>;

export const SettingsViewSchema = z.object({
  configPath: z.string(),
  /** Content hash of the file as read (null: there is no file yet); a save must name it. */
  revision: z.string().nullable(),
  /** The file exactly as it holds it (null when absent or not JSON). */
  file: z.record(z.string(), z.unknown()).nullable(),
  /** Why the file cannot be used (not JSON, unreadable), with the next step. */
  fileError: z.string().nullable(),
  /** The strict validator's lines for the file as it is now (hand edits since the start). */
  fileIssues: z.array(SettingsIssueSchema),
  /** What the file says, with defaults filled in (null when the file is unusable). */
  saved: SettingsValuesSchema.nullable(),
  /** What the running core uses now. */
  running: SettingsValuesSchema,
  /** The embedded defaults (nothing configured): what "reset" goes back to, and which house styles ship. */
  defaults: SettingsValuesSchema,
  /** Where the file differs from the running core in ways only a restart applies. */
  pendingRestart: z.array(SettingsIssueSchema),
  /** Provider names a tier may use, with their type; `usable: false` = declared after the start. */
  providers: z.array(z.object({ name: z.string(), type: z.string(), usable: z.boolean() })),
  /** The AITable connection, read-only on this screen (null: another source). */
  source: z
    .object({
      type: z.string(),
      baseUrl: z.string().nullable(),
      datasheetId: z.string().nullable(),
      viewId: z.string().nullable(),
      fieldKey: z.enum(['name', 'id']),
      tokenSecret: z.string().nullable(),
    })
    .nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const SettingsSaveResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('saved'),
    /** Paths now in effect in the running core (new jobs use them). */
    applied: z.array(z.string()),
    /** Saved, but in effect only after a restart, each with why. */
    needsRestart: z.array(SettingsIssueSchema),
    /** False when the draft changed nothing in the file. */
    written: z.boolean(),
    settings: SettingsViewSchema,
  }),
  /** Nothing was written. */
  z.object({ status: z.literal('invalid'), issues: z.array(SettingsIssueSchema) }),
  /** The file changed since `baseRevision` (edited by hand?): nothing was written. */
  z.object({ status: z.literal('conflict'), message: z.string(), settings: SettingsViewSchema }),
]);
export type SettingsSaveResult = z.infer<typeof SettingsSaveResultSchema>;

export const FieldCheckResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('checked'),
    fieldKey: z.enum(['name', 'id']),
    /** The datasheet's real fields (GET …/fields), to offer as choices. */
    fields: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), editable: z.boolean() })),
    roles: z.array(
      z.object({
        path: z.string(),
        role: z.string(),
        ref: z.string().nullable(),
        /** Field types this role can use (null: any). */
        expected: z.array(z.string()).nullable(),
        status: z.enum(['ok', 'unset', 'missing', 'wrong_type', 'not_editable', 'wrong_key']),
        message: z.string().nullable(),
        /** The field it most likely meant (did you mean), or the right reference for the fieldKey. */
        suggestion: z.string().nullable(),
      }),
    ),
  }),
  z.object({ status: z.literal('invalid'), issues: z.array(SettingsIssueSchema) }),
  /** AITable could not be asked (no key, refused, unreachable); `message` names the next step. */
  z.object({ status: z.literal('unavailable'), message: z.string() }),
]);
export type FieldCheckResult = z.infer<typeof FieldCheckResultSchema>;

/**
 * The first-run screen's "Run the pipeline on this computer" (issue 14): where stories come from,
 * which service makes images, where they are stored and how they are published. The core turns it
 * into config sections (electron/core/settings/setup.ts), checks them with the config file's own
 * validator and writes the file atomically. Keys travel one way, into the secret store, like setSecret.
 */
const SetupKey = z.string().trim().max(4_096).optional();
export const SoloSetupSchema = z.strictObject({
  /** An AITable datasheet link (https://aitable.ai/workbench/dst…/viw…) or its dst… id. */
  datasheet: z.string().trim().max(500),
  aitableToken: SetupKey,
  images: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('title-card') }),
    z.strictObject({ type: z.literal('openai'), apiKey: SetupKey }),
    z.strictObject({ type: z.literal('workers-ai'), accountId: z.string().trim().max(64), apiToken: SetupKey }),
  ]),
  storage: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('disk') }),
    z.strictObject({
      type: z.literal('r2'),
      accountId: z.string().trim().max(64),
      bucket: z.string().trim().max(100),
      publicBaseUrl: z.string().trim().max(300),
      accessKeyId: SetupKey,
      secretAccessKey: SetupKey,
    }),
  ]),
  publisher: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('relay') }),
    z.strictObject({ type: z.literal('webhook'), url: z.string().trim().max(500), signingSecret: SetupKey }),
  ]),
});
export type SoloSetup = z.infer<typeof SoloSetupSchema>;

export const SoloSetupResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('saved'),
    configPath: z.string(),
    /** Key names stored just now (never their values). */
    keysSaved: z.array(z.string()),
    /** The live field check of the new source, with its mapping suggestions. */
    fieldCheck: FieldCheckResultSchema,
    /** Source, storage and publisher are set up at start: the app restarts onto them. */
    needsRestart: z.array(SettingsIssueSchema),
  }),
  z.object({ status: z.literal('invalid'), issues: z.array(SettingsIssueSchema) }),
  z.object({ status: z.literal('conflict'), message: z.string() }),
]);
export type SoloSetupResult = z.infer<typeof SoloSetupResultSchema>;

const settingsCommands = {
  /** Write this computer's pipeline from the first-run answers (validated, atomic, over `baseRevision`). */
  setupSolo: { input: z.object({ setup: SoloSetupSchema, baseRevision: z.string().nullable() }), output: SoloSetupResultSchema },
  /** The config file as it holds it, what the running core uses, and what waits for a restart. */
  settings: { input: z.object({}), output: SettingsViewSchema },
  /** Check a draft with the config file's validator, without saving. */
  validateSettings: { input: z.object({ draft: SettingsDraftSchema }), output: z.object({ issues: z.array(SettingsIssueSchema) }) },
  /** Validate, write the file (only if it still has `baseRevision`), apply what can be applied now. */
  saveSettings: { input: z.object({ draft: SettingsDraftSchema, baseRevision: z.string().nullable() }), output: SettingsSaveResultSchema },
  /** Check a draft's AITable field mapping against the datasheet's real fields. */
  checkSourceFields: { input: z.object({ draft: SettingsDraftSchema }), output: FieldCheckResultSchema },
} as const;

/** The largest photo file an editor may use instead of a generated image (decoded and checked by the core). */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
/** The same limit as base64 text, which is how the file travels in a command. */
export const MAX_PHOTO_BASE64_CHARS = Math.ceil(MAX_PHOTO_BYTES / 3) * 4;
const ImageRef = ArticleChange.extend({ imageId: z.number().int().positive() });

export const commands = {
  /** Current board plus the event sequence number it reflects. */
  snapshot: {
    input: z.object({}),
    output: z.object({
      seq: z.number().int(),
      cards: z.array(CardSchema),
      problems: z.array(ProblemSchema),
      queue: QueueStateSchema,
      /**
       * Settled cards left out per column (beyond the newest SETTLED_WINDOW); `olderCards` pages them
       * in. Absent means none were left out.
       */
      older: z.record(SettledColumnSchema, z.number().int()).optional(),
      /** Who has a board open on this desk (issue 13); absent from older cores. */
      presence: z.array(PresenceSchema).optional(),
    }),
  },
  appInfo: { input: z.object({}), output: AppInfoSchema },
  /**
   * Approve the story's image. One that failed a safety check is refused unless `overrideReason`
   * says why it may go out anyway (logged and written back to the source).
   */
  approve: { input: ArticleChange.extend({ overrideReason: z.string().trim().min(1).max(500).optional() }), output: Ok },
  reject: { input: ArticleChange.extend({ reason: z.string().max(500).optional() }), output: Ok },
  /** Queue a fresh image; a given prompt becomes the article's prompt override first. */
  regenerate: { input: ArticleChange.extend({ prompt: z.string().max(4000).optional() }), output: Ok },
  /** Save (or clear, with null) the editor's prompt override without regenerating. */
  setPrompt: { input: ArticleChange.extend({ prompt: z.string().max(4000).nullable() }), output: Ok },
  /** Pull a published image from readers' pages (logged as a correction). */
  retract: { input: ArticleChange.extend({ reason: z.string().min(1).max(500) }), output: Ok },
  /** Try a publication (or retraction) again after it failed for good and the cause was fixed. */
  retryPublication: { input: ArticleChange, output: Ok },
  /** The queue: paused lanes and what waits in each. */
  queueState: { input: z.object({}), output: QueueStateSchema },
  /** Stop claiming new work, in every lane or one (running jobs finish); durable across restarts. */
  pause: { input: z.object({ lane: LaneSchema.optional() }), output: QueueStateSchema },
  /** Claim work again, in every lane or one. */
  resume: { input: z.object({ lane: LaneSchema.optional() }), output: QueueStateSchema },
  /** Move a story's waiting job to the front of its lane. */
  prioritise: { input: ArticleChange, output: Ok },
  /** Ask the source for new stories now instead of at the next poll. */
  checkNow: { input: z.object({}), output: Ok },
  /** What was spent: per tier for a UTC day (default today), per article, per section, the month, and what the queue will cost. */
  ledger: {
    input: z.object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD')
        .optional(),
      /** The month for the month totals (YYYY-MM); default: the day's month. */
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM')
        .optional(),
    }),
    output: LedgerSchema,
  },
  /** The keys (secrets) the configured integrations use, and whether each is set — never their values. */
  secrets: { input: z.object({}), output: SecretsStatusSchema },
  /** Save (or, with null, remove) a key. Write-only: values never come back over the contract. */
  setSecret: {
    input: z.object({ name: z.string().min(1).max(100), value: z.string().min(1).max(10_000).nullable() }),
    output: Ok,
  },
  /**
   * Clear an open problem the editor has dealt with (records deleted on purpose, say). Idempotent; a
   * fault that is still there opens it again the next time it is seen.
   */
  dismissProblem: { input: z.object({ id: z.string().min(1).max(300) }), output: Ok },
  /** Append a story to the embedded demo datasheet, as a newsroom would add a record. */
  addDemoArticle: {
    input: z.object({
      headline: z.string().min(1).max(300),
      summary: z.string().max(4000).default(''),
      section: z.string().max(60).default('Local'),
      breaking: z.boolean().default(false),
    }),
    output: z.object({ recordId: z.string() }),
  },
  ...settingsCommands,

  // --- drawer (issue 10): candidates, the editor's own image, crops, undo ---
  /** What the drawer shows beyond the card: every candidate image and every prompt used. */
  cardDetail: { input: ArticleRef, output: CardDetailSchema },
  /** Make one of the story's candidates its image; the story goes (back) to review. */
  chooseCandidate: { input: ImageRef, output: Ok },
  /**
   * Use a photo file instead of a generated image (base64; at most MAX_PHOTO_BYTES). It is stored
   * like any image and published without the AI disclosure; the story goes (back) to review.
   */
  uploadImage: {
    input: ArticleChange.extend({
      fileName: z.string().min(1).max(255),
      dataBase64: z.string().min(1).max(MAX_PHOTO_BASE64_CHARS),
      credit: z.string().max(200).optional(),
    }),
    output: z.object({ imageId: z.number().int() }),
  },
  /**
   * The editor's alt text, credit and focal point for one candidate (null clears back to the
   * automatic value; an absent field stays as it is). Publishing and the write-back use them.
   */
  setImageDetails: {
    input: ImageRef.extend({
      altText: z.string().trim().max(500).nullable().optional(),
      credit: z.string().trim().max(200).nullable().optional(),
      focalPoint: FocalPointSchema.nullable().optional(),
    }),
    output: Ok,
  },
  /** Take back an approval while its publication still waits (the card's undoUntil): back to review. */
  undoApprove: { input: ArticleChange, output: Ok },

  // --- embargo (issue 11): approve now, publish at a set time ---
  /**
   * Hold the story until `publishAt` (ms since epoch) or, with null, lift the embargo. An approved
   * story's waiting publication moves with it; refused for a time already past or a story already live.
   */
  setEmbargo: { input: ArticleChange.extend({ publishAt: z.number().int().positive().nullable() }), output: Ok },
  /** Send an approved, waiting story to readers now: the embargo (and any undo window left) is dropped. */
  publishNow: { input: ArticleChange, output: Ok },
  /**
   * The next page of a settled column, older than `before` (the oldest card the board holds there),
   * most recently changed first; `remaining` is how many are older still.
   */
  olderCards: {
    input: z.object({
      column: SettledColumnSchema,
      before: z.object({ updatedAt: z.number(), articleId: z.string().max(200) }),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ seq: z.number().int(), cards: z.array(CardSchema), remaining: z.number().int() }),
  },
  /**
   * One decision for many stories. Each article goes through the same action as on its own (and the
   * same state machine), in its own transaction: one that cannot move does not stop the others.
   */
  bulk: {
    input: z.object({
      action: z.enum(['approve', 'reject', 'regenerate']),
      articleIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
      /** The note every rejected story gets. */
      reason: z.string().max(500).optional(),
      /** The revision the board saw per story (issue 13); a story that moved since is refused as a conflict. */
      expectedRevisions: z.record(z.string(), z.number().int().nonnegative()).optional(),
    }),
    output: z.object({ results: z.array(BulkResultSchema) }),
  },

  // --- newsroom desk (issue 13) ---
  /** Who did what, newest first: attributed decisions (approve, reject, retract, prompt edits, queue, accounts). */
  audit: {
    input: z.object({
      /** Only entries at or after this time (ms since epoch). */
      since: z.number().int().nonnegative().optional(),
      articleId: z.string().min(1).max(200).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({ entries: z.array(AuditEntrySchema) }),
  },
  /** Say which story this board has open, and whose prompt it edits (null: none); others see it live. */
  setPresence: {
    input: z.object({
      session: z.string().min(8).max(64),
      viewing: z.string().min(1).max(200).nullable(),
      editing: z.string().min(1).max(200).nullable(),
    }),
    output: Ok,
  },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** Checks a command's name and input against the contract; every dispatcher (the core's, test fakes') starts here. */
export function parseCommand(
  name: string,
  input: unknown,
): { ok: true; name: CommandName; input: unknown } | { ok: false; error: { code: 'unknown_command' | 'invalid_input'; message: string } } {
  if (!isCommandName(name)) return { ok: false, error: { code: 'unknown_command', message: `unknown command ${name}` } };
  const parsed = commands[name].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: z.prettifyError(parsed.error) } };
  return { ok: true, name, input: parsed.data };
}

export const EventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('card'), seq: z.number().int(), card: CardSchema }),
  z.object({
    type: z.literal('notice'),
    seq: z.number().int(),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    articleId: z.string().nullable(),
  }),
  /** The whole list of open problems, sent whenever one opens, changes or clears. */
  z.object({ type: z.literal('problems'), seq: z.number().int(), problems: z.array(ProblemSchema) }),
  /** The queue's state, sent when a lane is paused or resumed. */
  z.object({ type: z.literal('queue'), seq: z.number().int(), queue: QueueStateSchema }),
  /** Who has a board open and what they look at or edit (issue 13); sent whenever it changes. */
  z.object({ type: z.literal('presence'), seq: z.number().int(), presence: z.array(PresenceSchema) }),
]);
export type HeroEvent = z.infer<typeof EventSchema>;

/** Errors cross a transport as this shape; the client rethrows them as `CommandError`. */
export const CommandErrorSchema = z.object({
  code: z.enum([
    'invalid_input',
    'not_found',
    'illegal_transition',
    'unknown_command',
    'unauthorized',
    'forbidden',
    'conflict',
    'internal',
  ]),
  message: z.string(),
});
export type CommandErrorBody = z.infer<typeof CommandErrorSchema>;

export class CommandError extends Error {
  readonly code: CommandErrorBody['code'];
  constructor(body: CommandErrorBody) {
    super(body.message);
    this.name = 'CommandError';
    this.code = body.code;
  }
}

/** What the renderer holds: one async verb per command, plus an event subscription. */
export type HeroDeskApi = { [K in CommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>> } & {
  onEvent(listener: (event: HeroEvent) => void): () => void;
};

/** What a command returns across a transport before the client unwraps it. */
export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: CommandErrorBody };

/**
 * What the Electron preload exposes as `window.heroDesk`: named verbs only (each resolving to a
 * DispatchResult, since class instances do not cross contextBridge) and an event subscription.
 */
export type PreloadBridge = { [K in CommandName]: (input: CommandInput<K>) => Promise<DispatchResult> } & {
  onEvent(listener: (event: HeroEvent) => void): () => void;
  /** The desktop shell asks the board to open a story (a notification click, a hero-desk:// link). */
  onOpenArticle(listener: (articleId: string) => void): () => void;
};

/** Builds the verb object from any `call` function; both transports use it. */
export function buildApi(call: (name: CommandName, input: unknown) => Promise<unknown>, onEvent: HeroDeskApi['onEvent']): HeroDeskApi {
  const verbs = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (input: unknown) => call(name, input)]));
  return { ...verbs, onEvent } as HeroDeskApi;
}

/** Names of the Electron IPC channels; only the two IPC modules use them. */
export const IPC = {
  commandChannel: (name: CommandName) => `hero-desk:command:${name}`,
  eventChannel: 'hero-desk:event',
  openArticleChannel: 'hero-desk:open-article',
} as const;
