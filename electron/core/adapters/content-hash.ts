import { createHash } from 'node:crypto';
import type { SourceArticle } from './types.ts';

/** Hash of everything that shapes the image; a change means the article needs a look. */
export function contentHash(article: Pick<SourceArticle, 'headline' | 'summary' | 'section' | 'storyType' | 'promptOverride'>): string {
  const parts = [article.headline, article.summary, article.section, article.storyType ?? '', article.promptOverride ?? ''];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/**
 * Hash of the headline and summary with case, whitespace and punctuation ignored: a typo fix
 * keeps it, a rewritten story changes it. An approved image goes stale only on a material change.
 */
export function materialHash(article: Pick<SourceArticle, 'headline' | 'summary'>): string {
  const normalise = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return createHash('sha256')
    .update(`${normalise(article.headline)}\u0000${normalise(article.summary)}`)
    .digest('hex')
    .slice(0, 24);
}
