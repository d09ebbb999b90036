// Layout: header over the board; the selected story opens in a panel on the right.
import { useMemo } from 'react';
import { groupColumns } from './board/ordering.ts';
import { Board } from './components/Board.tsx';
import { DetailPanel } from './components/DetailPanel.tsx';
import { Header } from './components/Header.tsx';
import { Toasts } from './components/Toasts.tsx';
import { useShortcuts } from './shortcuts.ts';
import type { BoardStore } from './store/board-store.ts';
import { useBoard } from './store/context.ts';

export function App({ store }: { store: BoardStore }) {
  useShortcuts(store);
  const cards = useBoard((s) => s.cards);
  const loaded = useBoard((s) => s.loaded);
  const selected = useBoard((s) => (s.selectedId === null ? null : (s.cards[s.selectedId] ?? null)));
  const columns = useMemo(() => groupColumns(Object.values(cards)), [cards]);

  return (
    <div className={`app${selected ? ' with-detail' : ''}`} data-loaded={loaded}>
      <Header columns={columns} />
      <div className="workspace">
        <Board columns={columns} />
        {selected && <DetailPanel card={selected} />}
      </div>
      <footer className="hints" aria-hidden="true">
        <kbd>J</kbd>/<kbd>K</kbd> move · <kbd>A</kbd> approve · <kbd>R</kbd> reject · <kbd>G</kbd> regenerate ·{' '}
        <kbd>E</kbd> edit prompt · <kbd>Esc</kbd> close
      </footer>
      <Toasts />
    </div>
  );
}
