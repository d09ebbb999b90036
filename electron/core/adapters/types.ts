// The five seams. Every external system is one adapter behind one of these interfaces;
// each has an embedded default (no keys, no network) and, in later issues, a real one.
import type { ScoreFlag } from '../../../shared/domain.ts';

/** An article as the source delivers it, before validation (see ingest/record.ts). */
export interface SourceRecord {
  recordId: string;
  fields: Record<string, unknown>;
}

export interface PollResult {
  records: SourceRecord[];
  /** Opaque watermark to pass to the next poll; persisted by the core. */
  cursor: string | null;
}

export interface ArticleSource {
  readonly name: string;
  poll(cursor: string | null, signal?: AbortSignal): Promise<PollResult>;
}

export interface GenerateRequest {
  articleId: string;
  headline: string;
  summary: string;
  section: string;
  breaking: boolean;
  prompt: string;
  seed: number;
  width: number;
  height: number;
  signal: AbortSignal;
}

export interface GeneratedImage {
  bytes: Buffer;
  contentType: string;
  model: string;
  costUsd: number;
}

export interface ImageProvider {
  readonly name: string;
  generate(request: GenerateRequest): Promise<GeneratedImage>;
}

export interface ScoreRequest {
  headline: string;
  summary: string;
  section: string;
  image: Buffer;
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
  costUsd: number;
  width: number;
  height: number;
}

export interface ImageScorer {
  readonly name: string;
  score(request: ScoreRequest): Promise<ScoreResult>;
}

export interface StoredObject {
  key: string;
  url: string;
}

export interface ImageStorage {
  readonly name: string;
  /** Idempotent: the same key and bytes may be put twice (a retry) and yield one object. */
  put(key: string, bytes: Buffer, contentType: string): Promise<StoredObject>;
}

/** What readers receive when an article's hero image goes live. */
export interface PublicationMessage {
  articleId: string;
  version: number;
  idempotencyKey: string;
  headline: string;
  summary: string;
  section: string;
  imageUrl: string;
  altText: string;
  credit: string;
  publishedAt: number;
}

export interface Publisher {
  readonly name: string;
  /** Must tolerate a repeat with the same idempotency key (the outbox retries). */
  publish(message: PublicationMessage, signal: AbortSignal): Promise<void>;
}

/** Errors an adapter throws to tell the queue what to do next. */
export class AdapterError extends Error {
  /** retryable: try again later; permanent: this provider will not succeed for this input. */
  readonly kind: 'retryable' | 'permanent';
  constructor(message: string, kind: 'retryable' | 'permanent', options?: ErrorOptions) {
    super(message, options);
    this.name = 'AdapterError';
    this.kind = kind;
  }
}
