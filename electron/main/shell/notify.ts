// Native notifications for what should not wait (shared/alerts.ts decides what): clicking one brings
// the board forward with that story open. Notifications are kept referenced until closed, or the
// garbage collector can drop one with its click handler.
import type { BoardAlert } from '../../../shared/alerts.ts';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotifierDeps {
  isSupported: () => boolean;
  create: (options: { title: string; body: string }) => NotificationLike;
  openArticle: (articleId: string | null) => void;
}

export function createNotifier(deps: NotifierDeps): { show(alert: BoardAlert): boolean } {
  const live = new Set<NotificationLike>();
  const seen = new Set<string>();
  return {
    show(alert) {
      if (seen.has(alert.id) || !deps.isSupported()) return false;
      seen.add(alert.id);
      const notification = deps.create({ title: alert.title, body: alert.body });
      live.add(notification);
      notification.on('click', () => deps.openArticle(alert.articleId));
      notification.on('close', () => live.delete(notification));
      notification.show();
      return true;
    },
  };
}
