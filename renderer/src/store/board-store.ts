// The board's state: cards by id (each remembering the event seq it reflects, so late or replayed
// events never roll a card back), selection, connection state and toasts. Command actions live here
// too, so components only call verbs and failures always end up as a visible notice.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AppInfo,
  CommandInput,
  FieldCheckResult,
  HeroDeskApi,
  HeroEvent,
  Ledger,
  SecretsStatus,
  SettingsDraft,
  SettingsIssue,
  SettingsSaveResult,
  SettingsView,
} from '../../../shared/contract.ts';
import type { Card, CardDetail, FocalPoint, Problem, QueueState } from '../../../shared/domain.ts';
import { groupColumns, moveSelection, nextForReview, type Move } from '../board/ordering.ts';
import type { ConnectionState, Snapshot, Transport } from '../transport/types.ts';

export interface Notice {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  articleId: string | null;
}

const MAX_NOTICES = 5;

export interface BoardState {
  cards: Record<string, Card>;
  cardSeq: Record<string, number>;
  seq: number;
  loaded: boolean;
  connection: ConnectionState;
  selectedId: string | null;
  notices: Notice[];
  appInfo: AppInfo | null;
  /** Articles with a command in flight; their buttons wait. */
  busy: Record<string, boolean>;
  /** Open problems (source unreachable, a key rejected …), as of `problemsSeq`. */
  problems: Problem[];
  problemsSeq: number;
  /** Paused lanes and what waits in each, as of `queueSeq`. */
  queue: QueueState | null;
  queueSeq: number;
  /** Problems that opened with the last list that brought new ones (for one pulse, not a toast per retry). */
  openedProblems: Problem[];
  /** Counts the lists that brought a newly opened problem; the header pulses when it moves. */
  problemsOpenedTick: number;

  applyEvent(event: HeroEvent): void;
  applySnapshot(snapshot: Snapshot): void;
  setConnection(state: ConnectionState): void;
  select(articleId: string | null): void;
  move(move: Move): void;
  notify(level: Notice['level'], message: string, articleId?: string | null): void;
  dismiss(id: number): void;
  approve(articleId: string): Promise<void>;
  /** With a note, the note is kept on the card for whoever picks the story up next. */
  reject(articleId: string, note?: string): Promise<void>;
  regenerate(articleId: string, prompt?: string): Promise<void>;
  savePrompt(articleId: string, prompt: string | null): Promise<void>;
  retract(articleId: string, reason: string): Promise<boolean>;
  /** Send a publication (or retraction) that failed for good once more. */
  retryPublication(articleId: string): Promise<void>;
  checkNow(): Promise<void>;
  addStory(input: CommandInput<'addDemoArticle'>): Promise<boolean>;
  /** The day's spend; throws, so the spend panel can say what went wrong in place (no toast per refresh). */
  loadLedger(day?: string): Promise<Ledger>;
  /** Which keys the integrations use and where each comes from; throws, like loadLedger (never values). */
  loadSecrets(): Promise<SecretsStatus>;
  /**
   * Save a key (null removes it). The value goes straight to the core and is never kept here; the core
   * announces success (and any start-up problem) as a notice, so only a failure is toasted from here.
   */
  saveSecret(name: string, value: string | null): Promise<boolean>;
  /**
   * Re-reads the open problems (the core pushes a new list only when one opens, changes or clears,
   * not on each repeat, so occurrence counts are fresh only after this). Throws, like loadLedger.
   */
  refreshProblems(): Promise<void>;
  /** Clears a problem the editor has dealt with; the core's new list removes it. False (and a toast) on failure. */
  dismissProblem(id: string): Promise<boolean>;

  // the settings screen: these throw, so the screen says what went wrong next to what the editor was doing
  loadSettings(): Promise<SettingsView>;
  validateSettings(draft: SettingsDraft): Promise<SettingsIssue[]>;
  saveSettings(draft: SettingsDraft, baseRevision: string | null): Promise<SettingsSaveResult>;
  checkSourceFields(draft: SettingsDraft): Promise<FieldCheckResult>;

  // --- drawer (issue 10): candidates, the editor's own photo, crops, undo ---
  /** Candidates and prompt history of one story; throws, so the drawer says what went wrong in place. */
  loadCardDetail(articleId: string): Promise<CardDetail>;
  chooseCandidate(articleId: string, imageId: number): Promise<boolean>;
  /** The editor's photo file (as base64) with an optional credit; resolves to why it was refused, or null once used. */
  uploadPhoto(articleId: string, photo: { fileName: string; dataBase64: string; credit?: string }): Promise<string | null>;
  saveImageDetails(
    articleId: string,
    imageId: number,
    details: { altText?: string | null; credit?: string | null; focalPoint?: FocalPoint | null },
  ): Promise<boolean>;
  /** Takes an approval back while its publication waits; the card returns to review and is selected. */
  undoApprove(articleId: string): Promise<void>;
}

export type BoardStore = StoreApi<BoardState>;

/** The problem list of a snapshot, unless an event newer than it already replaced the list. */
function problemsAsOf(state: BoardState, list: Pick<Snapshot, 'seq' | 'problems'>): Partial<BoardState> {
  if (state.problemsSeq > list.seq) return {};
  const known = new Set(state.problems.map((problem) => problem.id));
  const opened = list.problems.filter((problem) => !known.has(problem.id));
  const update = { problems: list.problems, problemsSeq: list.seq };
  return opened.length === 0 ? update : { ...update, openedProblems: opened, problemsOpenedTick: state.problemsOpenedTick + 1 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createBoardStore(api: HeroDeskApi): BoardStore {
  let noticeId = 0;
  return createStore<BoardState>()((set, get) => {
    async function run(articleId: string, what: string, action: () => Promise<unknown>): Promise<boolean> {
      set((s) => ({ busy: { ...s.busy, [articleId]: true } }));
      try {
        await action();
        return true;
      } catch (error) {
        get().notify('error', `Could not ${what}: ${describe(error)}`, articleId);
        return false;
      } finally {
        set((s) => ({ busy: { ...s.busy, [articleId]: false } }));
      }
    }

    /** Move on before the decision lands, so the editor can keep going (Lightroom-style). */
    function advanceFrom(articleId: string): void {
      if (get().selectedId !== articleId) return;
      set({ selectedId: nextForReview(groupColumns(Object.values(get().cards)), articleId) });
    }

    return {
      cards: {},
      cardSeq: {},
      seq: 0,
      loaded: false,
      connection: 'connecting',
      selectedId: null,
      notices: [],
      appInfo: null,
      busy: {},
      problems: [],
      problemsSeq: -1,
      queue: null,
      queueSeq: -1,
      openedProblems: [],
      problemsOpenedTick: 0,

      applyEvent(event) {
        if (event.type === 'notice') {
          get().notify(event.level, event.message, event.articleId);
          set((s) => ({ seq: Math.max(s.seq, event.seq) }));
          return;
        }
        if (event.type === 'problems') {
          set((s) => ({ ...problemsAsOf(s, event), seq: Math.max(s.seq, event.seq) }));
          return;
        }
        if (event.type === 'queue') {
          set((s) => (s.queueSeq > event.seq ? {} : { queue: event.queue, queueSeq: event.seq, seq: Math.max(s.seq, event.seq) }));
          return;
        }
        const id = event.card.articleId;
        set((s) => {
          if ((s.cardSeq[id] ?? -1) >= event.seq) return {};
          return {
            cards: { ...s.cards, [id]: event.card },
            cardSeq: { ...s.cardSeq, [id]: event.seq },
            seq: Math.max(s.seq, event.seq),
          };
        });
      },

      applySnapshot(snapshot) {
        set((s) => {
          // Cards updated by events newer than the snapshot are kept; everything else is replaced.
          const cards: Record<string, Card> = {};
          const cardSeq: Record<string, number> = {};
          for (const [id, card] of Object.entries(s.cards)) {
            const seen = s.cardSeq[id] ?? -1;
            if (seen > snapshot.seq) {
              cards[id] = card;
              cardSeq[id] = seen;
            }
          }
          for (const card of snapshot.cards) {
            if (cards[card.articleId]) continue;
            cards[card.articleId] = card;
            cardSeq[card.articleId] = snapshot.seq;
          }
          const selectedId = s.selectedId !== null && cards[s.selectedId] ? s.selectedId : null;
          const queue = s.queueSeq > snapshot.seq ? {} : { queue: snapshot.queue, queueSeq: snapshot.seq };
          return { cards, cardSeq, selectedId, seq: Math.max(s.seq, snapshot.seq), loaded: true, ...problemsAsOf(s, snapshot), ...queue };
        });
      },

      setConnection: (connection) => set({ connection }),
      select: (selectedId) => set({ selectedId }),
      move(move) {
        const { cards, selectedId } = get();
        set({ selectedId: moveSelection(groupColumns(Object.values(cards)), selectedId, move) });
      },

      notify(level, message, articleId = null) {
        noticeId += 1;
        const notice = { id: noticeId, level, message, articleId };
        set((s) => ({ notices: [...s.notices, notice].slice(-MAX_NOTICES) }));
      },
      dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),

      async approve(articleId) {
        advanceFrom(articleId);
        await run(articleId, 'approve', () => api.approve({ articleId }));
      },
      async reject(articleId, note) {
        advanceFrom(articleId);
        const reason = note?.trim();
        await run(articleId, 'reject', () => api.reject(reason ? { articleId, reason } : { articleId }));
      },
      async regenerate(articleId, prompt) {
        const input = prompt === undefined ? { articleId } : { articleId, prompt };
        await run(articleId, 'regenerate', () => api.regenerate(input));
      },
      async savePrompt(articleId, prompt) {
        if (await run(articleId, 'save the prompt', () => api.setPrompt({ articleId, prompt }))) {
          get().notify('info', prompt === null ? 'Prompt reset to automatic' : 'Prompt saved', articleId);
        }
      },
      async retryPublication(articleId) {
        if (await run(articleId, 'retry', () => api.retryPublication({ articleId }))) get().notify('info', 'Sending it again', articleId);
      },
      async retract(articleId, reason) {
        const ok = await run(articleId, 'retract the image', () => api.retract({ articleId, reason }));
        if (ok) get().notify('info', 'Image pulled from reader pages', articleId);
        return ok;
      },
      async checkNow() {
        try {
          await api.checkNow({});
          get().notify('info', 'Checking the source for new stories');
        } catch (error) {
          get().notify('error', `Could not check the source: ${describe(error)}`);
        }
      },
      async addStory(input) {
        try {
          await api.addDemoArticle(input);
          get().notify('info', `Story added: ${input.headline}`);
          return true;
        } catch (error) {
          get().notify('error', `Could not add the story: ${describe(error)}`);
          return false;
        }
      },
      loadLedger: (day) => api.ledger(day === undefined ? {} : { day }),
      loadSecrets: () => api.secrets({}),
      async refreshProblems() {
        const snapshot = await api.snapshot({});
        set((s) => problemsAsOf(s, snapshot));
      },
      async dismissProblem(id) {
        try {
          await api.dismissProblem({ id });
          return true;
        } catch (error) {
          get().notify('error', `Could not dismiss the problem: ${describe(error)}`);
          return false;
        }
      },
      loadCardDetail: (articleId) => api.cardDetail({ articleId }),
      async chooseCandidate(articleId, imageId) {
        const ok = await run(articleId, 'use that image', () => api.chooseCandidate({ articleId, imageId }));
        if (ok) get().notify('info', 'Image changed; the story is back in review', articleId);
        return ok;
      },
      async uploadPhoto(articleId, photo) {
        // said where the editor dropped the file (not as a toast): a refused photo is usually fixed right there
        set((s) => ({ busy: { ...s.busy, [articleId]: true } }));
        try {
          await api.uploadImage({ articleId, ...photo });
          get().notify('info', `Photo “${photo.fileName}” is now the image; the story is in review`, articleId);
          return null;
        } catch (error) {
          return describe(error);
        } finally {
          set((s) => ({ busy: { ...s.busy, [articleId]: false } }));
        }
      },
      saveImageDetails: (articleId, imageId, details) => run(articleId, 'save the image details', () => api.setImageDetails({ articleId, imageId, ...details })),
      async undoApprove(articleId) {
        if (await run(articleId, 'undo the approval', () => api.undoApprove({ articleId }))) {
          set({ selectedId: articleId });
          get().notify('info', 'Approval undone; nothing was sent to readers', articleId);
        }
      },
      async saveSecret(name, value) {
        try {
          await api.setSecret({ name, value });
          return true;
        } catch (error) {
          get().notify('error', `Could not ${value === null ? 'remove' : 'save'} the key "${name}": ${describe(error)}`);
          return false;
        }
      },

      loadSettings: () => api.settings({}),
      validateSettings: async (draft) => (await api.validateSettings({ draft })).issues,
      async saveSettings(draft, baseRevision) {
        const result = await api.saveSettings({ draft, baseRevision });
        // the board marks low scores by the regular tier's minimum score: read it again
        if (result.status === 'saved') api.appInfo({}).then((appInfo) => set({ appInfo }), () => undefined);
        return result;
      },
      checkSourceFields: (draft) => api.checkSourceFields({ draft }),
    };
  });
}

/** Wires a store to its transport: events first, then the transport (which delivers snapshots). */
export function connectStore(store: BoardStore, transport: Transport): () => void {
  const state = store.getState();
  const unsubscribe = transport.api.onEvent((event) => store.getState().applyEvent(event));
  transport.start({
    onState: (connection) => state.setConnection(connection),
    onSnapshot: (snapshot) => store.getState().applySnapshot(snapshot),
    onError: (error) => state.notify('error', `Board sync failed: ${describe(error)}`),
  });
  transport.api.appInfo({}).then(
    (appInfo) => store.setState({ appInfo }),
    (error: unknown) => state.notify('warn', `Could not read app info: ${describe(error)}`),
  );
  return () => {
    unsubscribe();
    transport.stop();
  };
}
