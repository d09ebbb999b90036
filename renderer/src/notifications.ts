// Browser notifications for what should not wait: a breaking story ready for review, anything that
// failed. Permission is asked only when the editor clicks the header's bell (once; the browser then
// remembers the answer), and the editor can mute them. The title bar counts what awaits review.
import { useEffect, useState } from 'react';
import type { BoardStore } from './store/board-store.ts';
import { columnTotal } from './store/board-store.ts';
import { titleFor } from './title.ts';

const MUTED_KEY = 'hero-desk.notifications-muted';

export type NotifyState = 'unsupported' | 'ask' | 'on' | 'muted' | 'blocked';

function supported(): boolean {
  // In the desktop app main sends native notifications itself (electron/main/shell/notify.ts) and
  // the window grants no permissions, so the board's own would only ever say "blocked".
  if (typeof window !== 'undefined' && 'heroDesk' in window) return false;
  return typeof window !== 'undefined' && 'Notification' in window;
}

function muted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

export function notifyState(): NotifyState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission === 'default') return 'ask';
  return muted() ? 'muted' : 'on';
}

/** The bell's state and what clicking it does: ask (once), or mute / unmute. */
export function useNotifyControl(): { state: NotifyState; toggle(): void } {
  const [state, setState] = useState(notifyState);
  return {
    state,
    toggle() {
      if (state === 'ask') {
        void Notification.requestPermission().then(() => setState(notifyState()));
        return;
      }
      if (state === 'on' || state === 'muted') {
        try {
          localStorage.setItem(MUTED_KEY, state === 'on' ? '1' : '0');
        } catch {
          // storage blocked: the choice lasts for this page
        }
        setState(state === 'on' ? 'muted' : 'on');
      }
    },
  };
}

/** Shows each new alert once as a system notification (when allowed); clicking one opens its story. */
export function useBrowserNotifications(store: BoardStore): void {
  useEffect(() => {
    const shown = new Set<string>();
    const drain = () => {
      const alerts = store.getState().takeAlerts();
      if (alerts.length === 0 || notifyState() !== 'on') return;
      for (const alert of alerts) {
        if (shown.has(alert.id)) continue;
        shown.add(alert.id);
        const notification = new Notification(alert.title, { body: alert.body, tag: alert.id });
        notification.onclick = () => {
          window.focus();
          if (alert.articleId) store.getState().select(alert.articleId);
          notification.close();
        };
      }
    };
    drain();
    return store.subscribe((state, previous) => {
      if (state.alerts !== previous.alerts && state.alerts.length > 0) drain();
    });
  }, [store]);
}

export function useTitleCount(store: BoardStore): void {
  useEffect(() => {
    const update = () => {
      const state = store.getState();
      document.title = titleFor(state.columns.generated.length, columnTotal(state, 'failed'));
    };
    update();
    return store.subscribe((state, previous) => {
      if (state.columns !== previous.columns || state.older !== previous.older) update();
    });
  }, [store]);
}
