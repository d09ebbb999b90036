// When an embargo still holds. Kept apart from embargo.ts (the actions) so the outbox
// (article-actions.ts), the card projection and `--once` can ask without importing the actions.
import type { ArticleRow } from '../store/articles.ts';

/** The embargo time if it is still ahead, else null (a passed embargo holds nothing back). */
export function activeEmbargo(article: Pick<ArticleRow, 'embargo_until'>, now: number): number | null {
  return article.embargo_until !== null && article.embargo_until > now ? article.embargo_until : null;
}
