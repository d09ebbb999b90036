// What readers receive when an article's hero image goes live (or is retracted): the one definition
// of the message, shared by the core's publishers and the relay. The relay validates it on POST
// /publish because it also runs standalone and must not trust its publishers' input blindly.
import { z } from 'zod';

// Readers put these in <img src>: only absolute http(s) URLs, never javascript:/data:.
const ImageUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const PublicationMessageSchema = z.object({
  kind: z.enum(['publish', 'retract']),
  articleId: z.string().min(1).max(200),
  /** Monotonic per article; readers ignore anything not newer than what they have. */
  version: z.number().int().nonnegative(),
  idempotencyKey: z.string().min(1).max(200),
  headline: z.string().max(500),
  summary: z.string().max(20_000),
  section: z.string().max(100),
  imageUrl: ImageUrl.nullable(),
  /** Responsive variants, when storage produced them. */
  variants: z.record(z.string().max(40), ImageUrl).optional(),
  altText: z.string().max(1000),
  credit: z.string().max(300),
  publishedAt: z.number().finite(),
});

export type PublicationMessage = z.infer<typeof PublicationMessageSchema>;
