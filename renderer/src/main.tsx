// Entry: pick the transport, build the store, render. Without a transport (a browser opened without
// the token) the page says how to get in instead of showing an empty board.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { filterFromQuery } from './board/filter.ts';
import { connectStore, createBoardStore } from './store/board-store.ts';
import { BoardContext } from './store/context.ts';
import { startTheme } from './theme.ts';
import { pickTransport } from './transport/index.ts';
import './styles.css';
import './phone.css'; // after the rest: the phone's rules win

startTheme();

const root = createRoot(document.getElementById('root')!);
const transport = pickTransport();

if (!transport) {
  root.render(
    <div className="no-access">
      <h1>Hero Desk</h1>
      <p>
        This board needs its access link. Open the URL printed by <code>hero-desk start</code> (it ends in{' '}
        <code>#token=…</code>).
      </p>
    </div>,
  );
} else {
  // the view (search and filters) comes from the address bar's query, so a reload keeps it
  const store = createBoardStore(transport.api, { filter: filterFromQuery(window.location.search) });
  connectStore(store, transport);
  // the desktop shell opens a story from a notification or a hero-desk:// link
  window.heroDesk?.onOpenArticle((articleId) => store.getState().select(articleId));
  root.render(
    <StrictMode>
      <BoardContext.Provider value={store}>
        <App store={store} />
      </BoardContext.Provider>
    </StrictMode>,
  );
}
