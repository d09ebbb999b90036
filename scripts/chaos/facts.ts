// What the verifier judges, gathered after the run (collect.ts) or made up by a test. Plain data,
// so the verifier is a pure function and its failure modes can be tested directly.

export interface ImageFacts {
  /** Storage key of the original. */
  key: string;
  /** Storage key of the published hero variant (hero.webp), once published. */
  heroKey: string | null;
  score: number | null;
  description: string | null;
  /** sha256 of the hero variant's bytes in storage; null when the file is missing. */
  heroSha256: string | null;
}

export interface ArticleFacts {
  id: string;
  headline: string;
  status: string;
  version: number;
  lastError: string | null;
  /** e.g. ['publish:queued, 3 attempts, last error: fetch failed']. */
  openJobs: string[];
  image: ImageFacts | null;
  costUsd: number;
}

export interface RecordFacts {
  recordId: string;
  headline: string;
  cells: Record<string, unknown>;
  /** One entry per file in the attachment cell: the sha256 of its upload (null if unknown). */
  attachmentShas: (string | null)[];
}

export interface DeliveryFacts {
  articleId: string;
  version: number;
  kind: string;
  seq: number;
  epoch: string | null;
  at: number;
}

export interface UploadFacts {
  token: string;
  sha256: string;
  name: string;
  /** When AITable stored the bytes. */
  at: number;
  /**
   * When the upload request reached AITable: a kill from then on (the chaos run holds some uploads until
   * Hero Desk is dead, then applies them) means Hero Desk may never have read the answer.
   */
  requestedAt: number;
  /** Records whose write requests (successful or not) referenced this upload's token. */
  referencedBy: string[];
  /** Whether the client got a complete answer carrying the token. */
  answered: boolean;
  /**
   * When Hero Desk next wrote to AITable (an upload or a record update) after this upload: the
   * write-back uploads one file at a time and keeps each token before its next write, so a later
   * write proves the token was kept. Null when it never wrote again.
   */
  nextWriteAt: number | null;
}

export interface IntegrityFacts {
  name: string;
  /** 'ok', or what is wrong; `checked: false` when the file's format is not known. */
  result: string;
  checked: boolean;
}

export interface VerifyInput {
  records: RecordFacts[];
  articles: ArticleFacts[];
  deliveries: DeliveryFacts[];
  /** What a reader connecting at the end (since=0) was replayed; null when not taken, a string when it failed. */
  lateDeliveries: DeliveryFacts[] | string | null;
  uploads: UploadFacts[];
  /** Wall-clock times of the SIGKILLs of Hero Desk. */
  killTimes: number[];
  kills: number;
  integrity: IntegrityFacts[];
}

export interface Finding {
  subject: string;
  why: string[];
}

export interface Verdict {
  articles: number;
  kills: number;
  lost: Finding[];
  doubledDeliveries: Finding[];
  doubledWriteBacks: Finding[];
  stuck: Finding[];
  integrityOk: boolean;
  integrity: Finding[];
  /** Worth knowing, not a failure (e.g. an upload the client could not have known about). */
  notes: string[];
}
