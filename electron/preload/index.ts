// The only module that touches ipcRenderer. It exposes `window.heroDesk`: one named verb per
// command plus `onEvent`, never ipcRenderer itself or a generic invoke/send (checklist item 20).
//
// Sandboxed preloads can require nothing but `electron`, and the shared contract pulls in zod at
// runtime, so only its types are imported here. Typing the object as PreloadBridge makes a missing
// or extra verb a compile error; test/electron/preload.test.ts checks the channels match IPC.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandName, DispatchResult, HeroEvent, PreloadBridge } from '../../shared/contract.ts';
import type { DesktopSetupBridge, SetupVerb } from '../../shared/desktop.ts';

/** Mirrors IPC in shared/contract.ts. */
const commandChannel = (name: CommandName): string => `hero-desk:command:${name}`;
const EVENT_CHANNEL = 'hero-desk:event';
const OPEN_ARTICLE_CHANNEL = 'hero-desk:open-article';

function verb(name: CommandName): (input: unknown) => Promise<DispatchResult> {
  // Exactly one argument crosses: whatever else a page passes is dropped here.
  return (input) => ipcRenderer.invoke(commandChannel(name), input);
}

const bridge: PreloadBridge = {
  snapshot: verb('snapshot'),
  appInfo: verb('appInfo'),
  approve: verb('approve'),
  reject: verb('reject'),
  regenerate: verb('regenerate'),
  setPrompt: verb('setPrompt'),
  retract: verb('retract'),
  retryPublication: verb('retryPublication'),
  queueState: verb('queueState'),
  pause: verb('pause'),
  resume: verb('resume'),
  prioritise: verb('prioritise'),
  checkNow: verb('checkNow'),
  ledger: verb('ledger'),
  secrets: verb('secrets'),
  setSecret: verb('setSecret'),
  dismissProblem: verb('dismissProblem'),
  addDemoArticle: verb('addDemoArticle'),
  settings: verb('settings'),
  validateSettings: verb('validateSettings'),
  saveSettings: verb('saveSettings'),
  checkSourceFields: verb('checkSourceFields'),
  setupSolo: verb('setupSolo'),
  // drawer (issue 10)
  cardDetail: verb('cardDetail'),
  chooseCandidate: verb('chooseCandidate'),
  uploadImage: verb('uploadImage'),
  setImageDetails: verb('setImageDetails'),
  undoApprove: verb('undoApprove'),
  // embargo (issue 11)
  setEmbargo: verb('setEmbargo'),
  publishNow: verb('publishNow'),
  olderCards: verb('olderCards'),
  bulk: verb('bulk'),
  audit: verb('audit'),
  setPresence: verb('setPresence'),
  onEvent(listener) {
    // The IpcRendererEvent stays here: it would hand the page `sender` (ipcRenderer).
    const forward = (_event: IpcRendererEvent, payload: HeroEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  onOpenArticle(listener) {
    const forward = (_event: IpcRendererEvent, articleId: unknown): void => {
      if (typeof articleId === 'string') listener(articleId);
    };
    ipcRenderer.on(OPEN_ARTICLE_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(OPEN_ARTICLE_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('heroDesk', bridge);

/** Mirrors setupChannel in shared/desktop.ts: first run and the desk connection (electron/main/first-run.ts). */
const setupVerb =
  <T>(name: SetupVerb) =>
  (input?: unknown): Promise<T> =>
    ipcRenderer.invoke(`hero-desk:setup:${name}`, input);

const setup: DesktopSetupBridge = {
  connection: setupVerb('connection'),
  chooseSolo: setupVerb('chooseSolo'),
  connectDesk: setupVerb('connectDesk'),
  checkDesk: setupVerb('checkDesk'),
  switchToSolo: setupVerb('switchToSolo'),
  restart: setupVerb('restart'),
  openConfigExample: setupVerb('openConfigExample'),
};

contextBridge.exposeInMainWorld('heroDeskSetup', setup);
