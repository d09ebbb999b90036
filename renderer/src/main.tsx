// Entry: pick how this board is connected (transport/index.ts: pickStart), build the store, render.
// Without a transport (a browser opened without the token) the page says how to get in instead of
// showing an empty board; the desktop app may first show its first-run screen or a desk's problem.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopSetupBridge } from '../../shared/desktop.ts';
import { App } from './App.tsx';
import { filterFromQuery } from './board/filter.ts';
import { DeskProblem } from './setup/DeskProblem.tsx';
import { DeskWatch } from './setup/DeskWatch.tsx';
import { FirstRun } from './setup/FirstRun.tsx';
import { connectStore, createBoardStore, type BoardStore } from './store/board-store.ts';
import { BoardContext } from './store/context.ts';
import { startTheme } from './theme.ts';
import { pickStart, type Transport } from './transport/index.ts';
import './styles.css';
import './phone.css'; // after the rest: the phone's rules win

startTheme();

const root = createRoot(document.getElementById('root')!);

function NoAccess() {
  return (
    <div className="no-access">
      <h1>Hero Desk</h1>
      <p>
        This board needs its access link. Open the URL printed by <code>hero-desk start</code> (it ends in <code>#token=…</code>).
      </p>
    </div>
  );
}

/** The first-run screen over the store (the demo runs meanwhile); the board once a choice is made. */
function FirstRunThenBoard({ store, setup }: { store: BoardStore; setup: DesktopSetupBridge }) {
  const [chosen, setChosen] = useState(false);
  return chosen ? <App store={store} /> : <FirstRun setup={setup} onDone={() => setChosen(true)} />;
}

function boardStore(transport: Transport): BoardStore {
  // the view (search and filters) comes from the address bar's query, so a reload keeps it
  const store = createBoardStore(transport.api, { filter: filterFromQuery(window.location.search) });
  connectStore(store, transport);
  // the desktop shell opens a story from a notification or a hero-desk:// link
  window.heroDesk?.onOpenArticle((articleId) => store.getState().select(articleId));
  return store;
}

async function boot(): Promise<void> {
  const start = await pickStart();
  const setup = window.heroDeskSetup;
  if (start.kind === 'no-access') {
    root.render(<NoAccess />);
    return;
  }
  if (start.kind === 'desk-problem') {
    root.render(
      setup ? (
        <DeskProblem setup={setup} deskUrl={start.deskUrl} check={start.check} onRetry={() => window.location.reload()} />
      ) : (
        <NoAccess />
      ),
    );
    return;
  }
  const store = boardStore(start.transport);
  root.render(
    <StrictMode>
      <BoardContext.Provider value={store}>
        {start.kind === 'first-run' && setup ? <FirstRunThenBoard store={store} setup={setup} /> : <App store={store} />}
        {start.kind === 'board' && start.deskUrl !== null && setup && <DeskWatch setup={setup} deskUrl={start.deskUrl} />}
      </BoardContext.Provider>
    </StrictMode>,
  );
}

boot().catch((error: unknown) => {
  root.render(
    <div className="no-access" role="alert">
      <h1>Hero Desk could not open its board</h1>
      <p>
        {error instanceof Error ? error.message : String(error)}. Quit and open Hero Desk again; if it keeps happening, see Help → Show
        logs.
      </p>
    </div>,
  );
});
