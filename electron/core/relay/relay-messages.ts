// What the relay accepts on POST /publish and what it sends readers over the WebSocket.
// The message mirrors PublicationMessage (electron/core/adapters/types.ts); validated here because
// the relay also runs standalone and must not trust its publishers' input blindly.
import { z } from 'zod';
import type { PublicationMessage } from '../adapters/types.ts';

// Readers put these in <img src>: only absolute http(s) URLs, never javascript:/data:.
const ImageUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const PublicationMessageSchema = z.object({
  kind: z.enum(['publish', 'retract']),
  articleId: z.string().min(1).max(200),
  version: z.number().int().nonnegative(),
  idempotencyKey: z.string().min(1).max(200),
  headline: z.string().max(500),
  summary: z.string().max(20_000),
  section: z.string().max(100),
  imageUrl: ImageUrl.nullable(),
  variants: z.record(z.string().max(40), ImageUrl).optional(),
  altText: z.string().max(1000),
  credit: z.string().max(300),
  publishedAt: z.number().finite(),
});

// Compile-time check that the schema and the core's interface agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesInterface: Same<z.infer<typeof PublicationMessageSchema>, PublicationMessage> = true;
void _schemaMatchesInterface;

/** First frame on every connection: where the relay's stream stands. */
export interface HelloFrame {
  type: 'hello';
  /** Names the relay's stream; kept across restarts (it changes only with a new data file), and a
   *  reader's since= from another epoch is meaningless. */
  epoch: string;
  seq: number;
  /** Changes before this seq may have been dropped (article limit); a reader whose since= is older may have missed some. */
  oldestSeq: number;
  /** True when the requested since= could not be fully replayed. */
  gap: boolean;
}

export interface ArticleFrame {
  type: 'article';
  seq: number;
  message: PublicationMessage;
}

export type RelayFrame = HelloFrame | ArticleFrame;
