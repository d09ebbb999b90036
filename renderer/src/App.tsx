// Layout: header, then the filter bar (and the bulk bar when stories are picked), then the board with
// the selected story's drawer beside it — never over it, so every column stays reachable.
import { Board } from './components/Board.tsx';
import { BulkBar } from './components/BulkBar.tsx';
import { DetailPanel } from './components/DetailPanel.tsx';
import { FilterBar } from './components/FilterBar.tsx';
import { Header } from './components/Header.tsx';
import { KeyboardMap } from './components/KeyboardMap.tsx';
import { Toasts } from './components/Toasts.tsx';
import { keyLabel } from './keymap.ts';
import { useBrowserNotifications, useTitleCount } from './notifications.ts';
import { useShortcuts } from './shortcuts.ts';
import type { BoardStore } from './store/board-store.ts';
import { useBoard } from './store/context.ts';
import { useKeys } from './store/keys-store.ts';
import { useViewInUrl } from './views.ts';

function Hints() {
  const keymap = useKeys((s) => s.keymap);
  const k = (key: string) => <kbd>{keyLabel(key)}</kbd>;
  return (
    <footer className="hints" aria-hidden="true">
      {k(keymap.next)}/{k(keymap.previous)} move · {k(keymap.approve)} approve · {k(keymap.reject)} reject · {k(keymap.regenerate)}{' '}
      regenerate · {k(keymap.editPrompt)} edit prompt · {k(keymap.toggleSelect)} select · {k(keymap.search)} search · {k(keymap.help)} all
      shortcuts · <kbd>Esc</kbd> close
    </footer>
  );
}

/** Where the keyboard landed, read out by screen readers. */
function LiveRegion() {
  const announcement = useBoard((s) => s.announcement);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">
      {announcement}
    </div>
  );
}

export function App({ store }: { store: BoardStore }) {
  useShortcuts(store);
  useViewInUrl(store);
  useTitleCount(store);
  useBrowserNotifications(store);
  const loaded = useBoard((s) => s.loaded);
  const selected = useBoard((s) => (s.selectedId === null ? null : (s.cards[s.selectedId] ?? null)));

  return (
    <div className={`app${selected ? ' with-detail' : ''}`} data-loaded={loaded}>
      <Header />
      <div className="toolbar">
        <FilterBar />
        <BulkBar />
      </div>
      <div className="workspace">
        <Board />
        {/* keyed by story: each opens at its top, with nothing left over from the previous one */}
        {selected && <DetailPanel key={selected.articleId} card={selected} />}
      </div>
      <Hints />
      <Toasts />
      <KeyboardMap />
      <LiveRegion />
    </div>
  );
}
