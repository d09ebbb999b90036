// Notices from the core and from failed commands; info fades on its own, problems wait to be read.
import { useEffect } from 'react';
import { useBoard } from '../store/context.ts';
import type { Notice } from '../store/board-store.ts';

function Toast({ notice, onDismiss }: { notice: Notice; onDismiss(id: number): void }) {
  useEffect(() => {
    const ms = notice.level === 'info' ? 4000 : notice.level === 'warn' ? 8000 : 15000;
    const timer = setTimeout(() => onDismiss(notice.id), ms);
    return () => clearTimeout(timer);
  }, [notice, onDismiss]);
  return (
    <div className={`toast toast-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
      <span>{notice.message}</span>
      <button type="button" aria-label="Dismiss" onClick={() => onDismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const notices = useBoard((s) => s.notices);
  const dismiss = useBoard((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {notices.map((notice) => (
        <Toast key={notice.id} notice={notice} onDismiss={dismiss} />
      ))}
    </div>
  );
}
