// What deserves a notification (the board's browser one, the desktop app's native one): a breaking
// story that just became ready for review, and anything that just failed (a story no tier could
// illustrate, a publication given up on).
import type { Card } from './domain.ts';

export interface BoardAlert {
  kind: 'breaking-ready' | 'failed' | 'problem';
  /** Stable per occurrence, so the same alert is never shown twice (the notification tag). */
  id: string;
  title: string;
  body: string;
  articleId: string | null;
}

export function alertFor(before: Card | undefined, after: Card): BoardAlert | null {
  if (after.breaking && after.status === 'generated' && before?.status !== 'generated') {
    return {
      kind: 'breaking-ready',
      id: `ready:${after.articleId}:${after.version}`,
      title: 'Breaking story ready for review',
      body: after.headline,
      articleId: after.articleId,
    };
  }
  if (after.status === 'failed' && before !== undefined && before.status !== 'failed') {
    return {
      kind: 'failed',
      id: `failed:${after.articleId}:${after.version}`,
      title: 'No image could be made',
      body: `${after.headline}${after.lastError ? ` — ${after.lastError}` : ''}`,
      articleId: after.articleId,
    };
  }
  if (after.canRetryPublication && before !== undefined && !before.canRetryPublication) {
    return {
      kind: 'failed',
      id: `publication:${after.articleId}:${after.version}`,
      title: 'Publishing failed',
      body: `${after.headline}${after.lastError ? ` — ${after.lastError}` : ''}`,
      articleId: after.articleId,
    };
  }
  return null;
}
