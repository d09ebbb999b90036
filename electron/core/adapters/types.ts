// The five seams. Every external system is one adapter behind one of these interfaces;
// each has an embedded default (no keys, no network) and a real one.
// Every adapter may offer `check()`: a start-up probe that reports bad keys/config clearly.
import type { PublicationMessage } from '../../../shared/publication.ts';
import type { ScoreFlag, Tier } from '../../../shared/domain.ts';

// ---------- source ----------

/** An article as a source delivers it after field mapping and validation. */
export interface SourceArticle {
  recordId: string;
  headline: string;
  summary: string;
  section: string;
  breaking: boolean;
  /** e.g. "news", "feature", "opinion"; drives story policy. */
  storyType: string | null;
  /** The newsroom's own prompt from the record, if any; an editor's override on the board still wins. */
  promptOverride: string | null;
  /** Chosen by the source's routing rules (data, not code). */
  tier: Tier;
  /**
   * Publish no earlier than this (ms since epoch), when the source maps an embargo field; null = the
   * record has none; absent = the source does not say (an embargo set on the board stays).
   */
  embargoUntil?: number | null;
}

/** A record that could not be read as an article; reported, never silently dropped. */
export interface RejectedRecord {
  recordId: string;
  reason: string;
}

export interface PollResult {
  articles: SourceArticle[];
  rejected: RejectedRecord[];
  /** Opaque watermark to pass to the next poll; persisted by the core. */
  cursor: string | null;
}

export interface ArticleSource {
  readonly name: string;
  poll(cursor: string | null, signal?: AbortSignal): Promise<PollResult>;
  /** Fetch one record by id (webhook trigger). */
  fetchOne?(recordId: string, signal?: AbortSignal): Promise<SourceArticle | RejectedRecord | null>;
  check?(signal?: AbortSignal): Promise<void>;
}

/** What a source record should show for its article (the AITable write-back maps it onto fields). */
export interface RecordWrite {
  recordId: string;
  status: 'queued' | 'generated' | 'approved' | 'published' | 'failed' | 'rejected';
  imageUrl: string | null;
  score: number | null;
  costUsd: number;
  altText: string | null;
  /** The caption credit line (with its AI label when AI-made). */
  credit: string | null;
  /** AI output or not, for the AI label cell; null with no image. */
  aiGenerated: boolean | null;
  /** An editor's reason for approving over a failed safety check. */
  safetyOverride: string | null;
  /** Who approved it (issue 13); absent from writers that predate it. */
  approvedBy?: string | null;
  /** An uploaded file to put in the record's attachment cell (replacing what is there). */
  attachment: { token: string; name: string } | null;
}

/** One record of a write: written, or refused for reasons of its own (the others still count). */
export type RecordWriteOutcome = { recordId: string; ok: true } | { recordId: string; ok: false; error: Error; gone: boolean };

/**
 * Writes state back to the source (AITable write-back). The core keeps the durable outbox, the
 * retries and the problems; the adapter only talks to the API. A failure of the whole call
 * (network, 429, 401, a missing field) is thrown as an AdapterError; per-record refusals come back
 * as outcomes (`gone` when the record no longer exists).
 */
export interface SourceWriteBack {
  readonly name: string;
  /** Records per `write` call (AITable: 10). */
  readonly batchSize: number;
  /** True when the mapping has an attachment field, so published images should be uploaded. */
  readonly wantsAttachment: boolean;
  write(records: RecordWrite[], signal: AbortSignal): Promise<RecordWriteOutcome[]>;
  uploadAttachment(
    file: { bytes: Buffer; filename: string; contentType: string },
    signal: AbortSignal,
  ): Promise<{ token: string; name: string }>;
}

// ---------- image provider ----------

export interface GenerateRequest {
  articleId: string;
  tier: Tier;
  prompt: string;
  negativePrompt: string | null;
  seed: number;
  width: number;
  height: number;
  /** The article, for providers that render it themselves (title cards, default images). */
  headline: string;
  section: string;
  signal: AbortSignal;
}

export interface GeneratedImage {
  bytes: Buffer;
  contentType: string;
  model: string;
  costUsd: number;
  /** Seed actually used, when the provider reports one. */
  seed: number | null;
  /** True when the provider's original carries C2PA provenance (keep the untouched original). */
  c2pa: boolean;
  /** Provider-computed notes worth showing on the card (e.g. usage tokens). */
  detail?: string;
}

export interface ImageProvider {
  readonly name: string;
  /** true for title cards / default images: no AI disclosure needed, no scoring loop. */
  readonly synthetic?: boolean;
  generate(request: GenerateRequest): Promise<GeneratedImage>;
  /** What one image is expected to cost, from the price table or the provider's configured price; null when unknown. */
  estimateCostUsd?(request: Pick<GenerateRequest, 'tier' | 'width' | 'height'>): number | null;
  check?(signal?: AbortSignal): Promise<void>;
}

// ---------- scorer ----------

export interface ScoreRequest {
  headline: string;
  summary: string;
  section: string;
  image: Buffer;
  contentType: string;
  expectedWidth: number;
  expectedHeight: number;
  signal: AbortSignal;
}

export interface ScoreResult {
  /** 1–10; below the tier's threshold the pipeline regenerates. */
  score: number;
  reason: string;
  flags: ScoreFlag[];
  /** A better prompt to try next, when the scorer has one. */
  revisedPrompt: string | null;
  /** One-sentence description of the image, used for alt text. */
  description: string | null;
  costUsd: number;
  width: number;
  height: number;
}

export interface ImageScorer {
  readonly name: string;
  score(request: ScoreRequest): Promise<ScoreResult>;
  /** What one check is expected to cost; null when unknown. */
  estimateCostUsd?(): number | null;
  check?(signal?: AbortSignal): Promise<void>;
}

// ---------- prompt writer ----------

/** What a prompt writer reads of an article. */
export interface PromptWriterArticle {
  headline: string;
  summary: string;
  section: string;
  storyType?: string | null;
}

/** Turns an article and a house style into a brief for the image provider (optional: templates work without one). */
export interface PromptWriter {
  readonly name: string;
  write(article: PromptWriterArticle, style: string, signal?: AbortSignal): Promise<{ prompt: string; costUsd: number }>;
  check?(signal?: AbortSignal): Promise<void>;
}

// ---------- storage ----------

export interface StoredObject {
  key: string;
  url: string;
}

export interface ImageStorage {
  readonly name: string;
  /**
   * Idempotent: keys are content-addressed, so a retry with the same key and bytes yields one object.
   * Objects are immutable (served with a far-future Cache-Control).
   */
  put(key: string, bytes: Buffer, contentType: string, metadata?: Record<string, string>): Promise<StoredObject>;
  /** The bytes stored under a key (publishing reads the approved original back). */
  get(key: string, signal?: AbortSignal): Promise<Buffer>;
  /**
   * Public URL for a key, made from where the storage is reachable *now*: the store keeps keys only,
   * so a media server that moved to another port never leaves a broken link behind.
   */
  urlFor(key: string): string;
  check?(signal?: AbortSignal): Promise<void>;
}

// ---------- publisher ----------

/** What readers receive when an article's hero image goes live (or is retracted): shared/publication.ts. */
export type { PublicationMessage };

export interface Publisher {
  readonly name: string;
  /** Must tolerate a repeat with the same idempotency key (the outbox retries). */
  publish(message: PublicationMessage, signal: AbortSignal): Promise<void>;
  check?(signal?: AbortSignal): Promise<void>;
}

// ---------- errors and secrets ----------

/**
 * Errors an adapter throws to tell the queue what to do next; the kinds and the one policy that
 * assigns them (HTTP status, network, file system) live in core/failures.ts.
 */
export { AdapterError, type FailureKind as AdapterErrorKind } from '../base/failures.ts';

/**
 * Where adapters get keys. Config names a secret (e.g. `"apiKeySecret": "openai"`); the value
 * comes from the OS keychain in the desktop app (safeStorage) or from the environment /
 * `<dataDir>/secrets.json` headless. Values never enter config, logs, events or the renderer.
 */
export interface SecretStore {
  get(name: string): string | undefined;
}

/** A secret store editors can fill in from the board (values go in, never come back out). */
export interface WritableSecretStore extends SecretStore {
  /** Where a secret's current value comes from, or null when it is not set. */
  sourceOf(name: string): 'environment' | 'keychain' | 'file' | null;
  /** Stores a value, or removes it with null. */
  set(name: string, value: string | null): Promise<void>;
}

export function isWritableSecretStore(store: SecretStore): store is WritableSecretStore {
  return (
    typeof (store as Partial<WritableSecretStore>).set === 'function' &&
    typeof (store as Partial<WritableSecretStore>).sourceOf === 'function'
  );
}

/** The part of pino's logger adapters use; structural, so a test can pass a recorder. */
export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What every adapter factory receives besides its options: secrets, and a logger with the methods it uses. */
export interface AdapterServices<Methods extends keyof AdapterLogger = keyof AdapterLogger> {
  secrets: SecretStore;
  logger?: Pick<AdapterLogger, Methods>;
}
