// The board's state: cards by id (each remembering the event seq it reflects, so late or replayed
// events never roll a card back), the per-column index and the filtered view (board-index.ts),
// selection, connection state and toasts. Command actions live here too, so components only call
// verbs and failures always end up as a visible notice.
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
  SoloSetup,
  SoloSetupResult,
} from '../../../shared/contract.ts';
import {
  SETTLED_COLUMNS,
  type AuditEntry,
  type Card,
  type Presence,
  type CardDetail,
  type FocalPoint,
  type Lane,
  type Problem,
  type QueueState,
  type SettledColumn,
} from '../../../shared/domain.ts';
import { buildIndex, filterView, reindexCard, type BoardIndex } from '../board/board-index.ts';
import { summarize, withCard, type BoardSummary } from '../board/summary.ts';
import { EMPTY_FILTER, isFiltering, matcher, type Filter } from '../board/filter.ts';
import { moveIn, nextInReview, type ColumnId, type ColumnIds, type Move } from '../board/ordering.ts';
import type { ConnectionState, Snapshot, Transport } from '../transport/types.ts';
import { alertFor, type BoardAlert } from '../../../shared/alerts.ts';
import { bulkSummary, type BulkAction, type BulkOutcome } from './bulk.ts';
import { announceCard, checkColumn, checkRange, type Checked } from './selection.ts';
import { errorMessage } from '../../../shared/error-message.ts';

export interface Notice {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  articleId: string | null;
}

type CardEvent = Extract<HeroEvent, { type: 'card' }>;

const MAX_NOTICES = 5;
const MAX_ALERTS = 20;
const NO_OLDER: Record<SettledColumn, number> = { rejected: 0, published: 0, failed: 0 };

export interface BoardState extends BoardIndex {
  /** Cards by id. Updated in place by events (see applyCardEvents): select one card, or `cardsVersion`. */
  cards: Record<string, Card>;
  cardSeq: Record<string, number>;
  /** Moves on every change to any card. */
  cardsVersion: number;
  /** Spend and sections over every card held, kept up to date per event instead of summed per render. */
  summary: BoardSummary;
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
  /** Who has a board open on this desk, and what they look at or edit (issue 13; the web bridge only). */
  presence: Presence[];
  /** This board's own session (null: the desktop app, which reports no presence). */
  mySession: string | null;
  /** Tell the others which story this board has open, and whose prompt it edits. */
  reportPresence(open: { viewing: string | null; editing: string | null }): void;
  /** Paused lanes and what waits in each, as of `queueSeq`. */
  queue: QueueState | null;
  queueSeq: number;
  /** Problems that opened with the last list that brought new ones (for one pulse, not a toast per retry). */
  openedProblems: Problem[];
  /** Counts the lists that brought a newly opened problem; the header pulses when it moves. */
  problemsOpenedTick: number;

  /** What the board shows (search and filters); `view` follows it. */
  filter: Filter;
  /** Settled cards the core has that the board does not hold yet, per column ("show older"). */
  older: Record<SettledColumn, number>;
  loadingOlder: Partial<Record<SettledColumn, boolean>>;
  /** Stories picked for a bulk decision. */
  checked: Checked;
  /** Where a Shift-click range starts. */
  anchorId: string | null;
  /** What the last bulk decision did, until the editor dismisses it. */
  bulkOutcome: BulkOutcome | null;
  bulkRunning: boolean;
  /** The card the keyboard moved to: it takes the focus once it is rendered (tick: each move counts). */
  focusRequest: { id: string; tick: number } | null;
  /** Read out by the live region: where the keyboard moved to. */
  announcement: string;
  /** Breaking stories ready for review and failures, for browser notifications (newest last). */
  alerts: BoardAlert[];

  applyEvent(event: HeroEvent): void;
  /** Card events in order, applied as one update (the transport batches a burst of them per frame). */
  applyCardEvents(events: CardEvent[]): void;
  applySnapshot(snapshot: Snapshot): void;
  setConnection(state: ConnectionState): void;
  select(articleId: string | null): void;
  move(move: Move): void;
  consumeFocus(articleId: string): void;
  setFilter(patch: Partial<Filter>): void;
  /** Re-runs the filter (past-deadline changes with the clock, not with events). */
  refreshView(): void;
  loadOlder(column: SettledColumn): Promise<void>;
  toggleChecked(articleId: string): void;
  /** Shift-click: everything shown between the anchor and this card, in the same column. */
  checkTo(articleId: string): void;
  checkAllIn(column: ColumnId): void;
  clearChecked(): void;
  bulk(action: BulkAction, reason?: string): Promise<void>;
  dismissBulkOutcome(): void;
  takeAlerts(): BoardAlert[];
  notify(level: Notice['level'], message: string, articleId?: string | null): void;
  dismiss(id: number): void;
  /** `overrideReason`: the editor's reason to approve an image that failed a safety check. True when it went through. */
  approve(articleId: string, overrideReason?: string): Promise<boolean>;
  /** With a note, the note is kept on the card for whoever picks the story up next. */
  reject(articleId: string, note?: string): Promise<boolean>;
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
  /** Who did what, newest first (the header's audit panel); throws, like loadLedger. */
  loadAudit(): Promise<AuditEntry[]>;
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
  /** First run: write this computer's pipeline (source, images, storage, publishing) and check the source's fields. */
  setupSolo(setup: SoloSetup): Promise<SoloSetupResult>;

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

  // --- embargo (issue 11) ---
  /** Holds the story until `publishAt` (ms), or lifts the embargo with null. */
  setEmbargo(articleId: string, publishAt: number | null): Promise<boolean>;
  /** Sends an approved, waiting story to readers now. */
  publishNow(articleId: string): Promise<boolean>;

  // --- queue control (issue 11): pause or resume every lane or one; move a waiting story up ---
  /** Pauses (true) or resumes (false) every lane, or one; false (and a toast) on failure. */
  setPaused(paused: boolean, lane?: Lane): Promise<boolean>;
  /** Moves a queued story's job to the front of its lane. */
  prioritise(articleId: string): Promise<void>;
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

export interface BoardStoreOptions {
  /** The view to open with (the address bar's query). */
  filter?: Filter;
  now?: () => number;
}

export function createBoardStore(api: HeroDeskApi, options: BoardStoreOptions = {}): BoardStore {
  let noticeId = 0;
  let focusTick = 0;
  const now = options.now ?? Date.now;
  return createStore<BoardState>()((set, get) => {
    /** The filter as a predicate, or null when nothing is filtered (the view is then the index itself). */
    function currentMatch(state: Pick<BoardState, 'filter' | 'appInfo'>) {
      return isFiltering(state.filter) ? matcher(state.filter, { now: now(), minScore: state.appInfo?.thresholds.minScore ?? null }) : null;
    }

    /** The revision of the story this board shows (issue 13): the core refuses the change if it moved since. */
    function seen(articleId: string): { expectedRevision?: number } {
      const revision = get().cards[articleId]?.revision;
      return revision === undefined ? {} : { expectedRevision: revision };
    }

    async function run(articleId: string, what: string, action: () => Promise<unknown>): Promise<boolean> {
      set((s) => ({ busy: { ...s.busy, [articleId]: true } }));
      try {
        await action();
        return true;
      } catch (error) {
        get().notify('error', `Could not ${what}: ${errorMessage(error)}`, articleId);
        return false;
      } finally {
        set((s) => ({ busy: { ...s.busy, [articleId]: false } }));
      }
    }

    /**
     * After a decision that went through, move on to the next card to review (Lightroom-style) — only
     * then, so a decision that failed (a stale token, a card already decided) never skips a card.
     */
    async function decide(articleId: string, what: string, action: () => Promise<unknown>): Promise<boolean> {
      const next = nextInReview(get().view.generated, articleId);
      if (!(await run(articleId, what, action))) return false;
      if (get().selectedId !== articleId) return true; // the editor moved on by hand meanwhile
      const queue = get().view.generated;
      const target = next !== null && next !== articleId && queue.includes(next) ? next : nextInReview(queue, articleId);
      selectAndFocus(target === articleId ? null : target);
      return true;
    }

    function selectAndFocus(articleId: string | null): void {
      focusTick += 1;
      const state = get();
      set({
        selectedId: articleId,
        focusRequest: articleId === null ? null : { id: articleId, tick: focusTick },
        announcement: articleId === null ? '' : announceCard(state.view, state.cards, articleId),
      });
    }

    function reindexAll(state: BoardState, patch: Partial<BoardState>): Partial<BoardState> {
      const next = { ...state, ...patch };
      return buildIndex(next.cards, currentMatch(next));
    }

    return {
      cards: {},
      cardSeq: {},
      cardsVersion: 0,
      summary: summarize({}),
      columns: buildIndex({}, null).columns,
      view: buildIndex({}, null).view,
      seq: 0,
      loaded: false,
      connection: 'connecting',
      selectedId: null,
      notices: [],
      appInfo: null,
      busy: {},
      problems: [],
      problemsSeq: -1,
      presence: [],
      mySession: null,
      queue: null,
      queueSeq: -1,
      openedProblems: [],
      problemsOpenedTick: 0,
      filter: options.filter ?? EMPTY_FILTER,
      older: NO_OLDER,
      loadingOlder: {},
      checked: {},
      anchorId: null,
      bulkOutcome: null,
      bulkRunning: false,
      focusRequest: null,
      announcement: '',
      alerts: [],

      applyEvent(event) {
        if (event.type === 'notice') {
          get().notify(event.level, event.message, event.articleId);
          set((s) => ({ seq: Math.max(s.seq, event.seq) }));
          return;
        }
        if (event.type === 'problems') {
          set((s) => {
            const update = problemsAsOf(s, event);
            const opened = (update.openedProblems ?? []).filter(
              (problem) => problem.level === 'error' && update.problemsOpenedTick !== undefined,
            );
            const alerts = opened.map((problem): BoardAlert => ({
              kind: 'problem',
              id: `problem:${problem.id}:${problem.openedAt}`,
              title: 'Hero Desk: something needs fixing',
              body: problem.message,
              articleId: null,
            }));
            return {
              ...update,
              seq: Math.max(s.seq, event.seq),
              ...(alerts.length > 0 ? { alerts: [...s.alerts, ...alerts].slice(-MAX_ALERTS) } : {}),
            };
          });
          return;
        }
        if (event.type === 'presence') {
          set({ presence: event.presence });
          return;
        }
        if (event.type === 'queue') {
          set((s) => (s.queueSeq > event.seq ? {} : { queue: event.queue, queueSeq: event.seq, seq: Math.max(s.seq, event.seq) }));
          return;
        }
        get().applyCardEvents([event]);
      },

      applyCardEvents(events) {
        set((s) => {
          // `cards` and `cardSeq` are updated in place: copying 5,000 entries per event was most of the
          // board's work while stories generate. Each card is a new object, so `s.cards[id]` selectors see
          // the change; whatever needs "some card changed" selects `cardsVersion`.
          const { cards, cardSeq } = s;
          let index: BoardIndex = { columns: s.columns, view: s.view };
          let seq = s.seq;
          let summary = s.summary;
          let changed = false;
          const alerts: BoardAlert[] = [];
          const match = currentMatch(s);
          for (const event of events) {
            const card = event.card;
            const id = card.articleId;
            seq = Math.max(seq, event.seq);
            if ((cardSeq[id] ?? -1) >= event.seq) continue;
            const before = cards[id];
            cards[id] = card;
            cardSeq[id] = event.seq;
            changed = true;
            index = reindexCard(index, cards, before, card, match);
            summary = withCard(summary, before, card);
            const alert = alertFor(before, card);
            if (alert) alerts.push(alert);
          }
          if (!changed) return seq === s.seq ? {} : { seq };
          return {
            cardsVersion: s.cardsVersion + 1,
            seq,
            ...(summary !== s.summary ? { summary } : {}),
            ...(index.columns !== s.columns ? { columns: index.columns } : {}),
            ...(index.view !== s.view ? { view: index.view } : {}),
            ...(alerts.length > 0 ? { alerts: [...s.alerts, ...alerts].slice(-MAX_ALERTS) } : {}),
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
          const checked = Object.fromEntries(
            Object.keys(s.checked)
              .filter((id) => cards[id])
              .map((id) => [id, true as const]),
          );
          return {
            cards,
            cardSeq,
            cardsVersion: s.cardsVersion + 1,
            summary: summarize(cards),
            selectedId,
            checked,
            older: { ...NO_OLDER, ...snapshot.older },
            seq: Math.max(s.seq, snapshot.seq),
            loaded: true,
            ...reindexAll(s, { cards }),
            ...problemsAsOf(s, snapshot),
            ...queue,
            ...(snapshot.presence ? { presence: snapshot.presence } : {}),
          };
        });
      },

      setConnection: (connection) => set({ connection }),
      select: (selectedId) => set({ selectedId, anchorId: selectedId }),
      move(move) {
        const { view, selectedId } = get();
        const target = moveIn(view, selectedId, move);
        selectAndFocus(target);
        set({ anchorId: target });
      },
      consumeFocus(articleId) {
        if (get().focusRequest?.id === articleId) set({ focusRequest: null });
      },

      setFilter(patch) {
        set((s) => {
          const filter = { ...s.filter, ...patch };
          const next = { ...s, filter };
          const view = filterView(s.columns, s.cards, currentMatch(next));
          const visible = new Set(Object.values(view).flat());
          // a selection the filter hides would be acted on unseen: keep only what is shown
          const checked = Object.fromEntries(
            Object.keys(s.checked)
              .filter((id) => visible.has(id))
              .map((id) => [id, true as const]),
          );
          return { filter, view, checked };
        });
      },
      refreshView() {
        set((s) => (isFiltering(s.filter) ? { view: filterView(s.columns, s.cards, currentMatch(s)) } : {}));
      },

      async loadOlder(column) {
        const state = get();
        if (state.loadingOlder[column]) return;
        const oldestId = state.columns[column].at(-1);
        const oldest = oldestId === undefined ? undefined : state.cards[oldestId];
        if (!oldest) return;
        set((s) => ({ loadingOlder: { ...s.loadingOlder, [column]: true } }));
        try {
          const page = await api.olderCards({ column, before: { updatedAt: oldest.updatedAt, articleId: oldest.articleId }, limit: 100 });
          set((s) => {
            const cards = { ...s.cards };
            const cardSeq = { ...s.cardSeq };
            for (const card of page.cards) {
              if ((cardSeq[card.articleId] ?? -1) > page.seq) continue;
              cards[card.articleId] = card;
              cardSeq[card.articleId] = page.seq;
            }
            return {
              cards,
              cardSeq,
              cardsVersion: s.cardsVersion + 1,
              summary: summarize(cards),
              older: { ...s.older, [column]: page.remaining },
              ...reindexAll(s, { cards }),
            };
          });
        } catch (error) {
          get().notify('error', `Could not load older stories: ${errorMessage(error)}`);
        } finally {
          set((s) => ({ loadingOlder: { ...s.loadingOlder, [column]: false } }));
        }
      },

      toggleChecked(articleId) {
        set((s) => {
          const checked = { ...s.checked };
          if (checked[articleId]) delete checked[articleId];
          else checked[articleId] = true;
          return { checked, anchorId: articleId };
        });
      },
      checkTo(articleId) {
        set((s) => ({ checked: { ...s.checked, ...checkRange(s.view, s.anchorId ?? s.selectedId, articleId) } }));
      },
      checkAllIn(column) {
        set((s) => ({ checked: checkColumn(s.view, column) }));
      },
      clearChecked: () => set({ checked: {} }),

      async bulk(action, reason) {
        const ids = Object.keys(get().checked);
        if (ids.length === 0 || get().bulkRunning) return;
        set({ bulkRunning: true });
        try {
          const expectedRevisions = Object.fromEntries(
            ids.flatMap((id) => (get().cards[id]?.revision === undefined ? [] : [[id, get().cards[id]!.revision!]])),
          );
          const base =
            Object.keys(expectedRevisions).length > 0 ? { action, articleIds: ids, expectedRevisions } : { action, articleIds: ids };
          const input = action === 'reject' && reason?.trim() ? { ...base, reason: reason.trim() } : base;
          const { results } = await api.bulk(input);
          const cards = get().cards;
          const failed = new Set(results.filter((result) => !result.ok).map((result) => result.articleId));
          // what went through leaves the selection; what did not stays picked, to look at or retry
          set({
            bulkOutcome: bulkSummary(action, results, cards),
            checked: Object.fromEntries([...failed].map((id) => [id, true as const])),
          });
        } catch (error) {
          get().notify('error', `Could not ${action} the selected stories: ${errorMessage(error)}`);
        } finally {
          set({ bulkRunning: false });
        }
      },
      dismissBulkOutcome: () => set({ bulkOutcome: null }),
      reportPresence(open) {
        const session = get().mySession;
        if (session === null) return;
        // presence is a courtesy: a board that cannot say it is looking still works
        api.setPresence({ session, ...open }).catch(() => undefined);
      },
      takeAlerts() {
        const alerts = get().alerts;
        if (alerts.length > 0) set({ alerts: [] });
        return alerts;
      },

      notify(level, message, articleId = null) {
        noticeId += 1;
        const notice = { id: noticeId, level, message, articleId };
        set((s) => ({ notices: [...s.notices, notice].slice(-MAX_NOTICES) }));
      },
      dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),

      approve: (articleId, overrideReason) =>
        decide(articleId, 'approve', () =>
          api.approve(overrideReason ? { articleId, overrideReason, ...seen(articleId) } : { articleId, ...seen(articleId) }),
        ),
      reject: (articleId, reason) =>
        decide(articleId, 'reject', () =>
          api.reject(reason?.trim() ? { articleId, reason: reason.trim(), ...seen(articleId) } : { articleId, ...seen(articleId) }),
        ),
      async regenerate(articleId, prompt) {
        const input = prompt === undefined ? { articleId, ...seen(articleId) } : { articleId, prompt, ...seen(articleId) };
        await run(articleId, 'regenerate', () => api.regenerate(input));
      },
      async savePrompt(articleId, prompt) {
        if (await run(articleId, 'save the prompt', () => api.setPrompt({ articleId, prompt, ...seen(articleId) }))) {
          get().notify('info', prompt === null ? 'Prompt reset to automatic' : 'Prompt saved', articleId);
        }
      },
      async retryPublication(articleId) {
        if (await run(articleId, 'retry', () => api.retryPublication({ articleId, ...seen(articleId) })))
          get().notify('info', 'Sending it again', articleId);
      },
      async retract(articleId, reason) {
        const ok = await run(articleId, 'retract the image', () => api.retract({ articleId, reason, ...seen(articleId) }));
        if (ok) get().notify('info', 'Image pulled from reader pages', articleId);
        return ok;
      },
      async checkNow() {
        try {
          await api.checkNow({});
          get().notify('info', 'Checking the source for new stories');
        } catch (error) {
          get().notify('error', `Could not check the source: ${errorMessage(error)}`);
        }
      },
      async addStory(input) {
        try {
          await api.addDemoArticle(input);
          get().notify('info', `Story added: ${input.headline}`);
          return true;
        } catch (error) {
          get().notify('error', `Could not add the story: ${errorMessage(error)}`);
          return false;
        }
      },
      loadLedger: (day) => api.ledger(day === undefined ? {} : { day }),
      loadSecrets: () => api.secrets({}),
      loadAudit: () => api.audit({ limit: 200 }).then((result) => result.entries),
      async refreshProblems() {
        const snapshot = await api.snapshot({});
        set((s) => problemsAsOf(s, snapshot));
      },
      async dismissProblem(id) {
        try {
          await api.dismissProblem({ id });
          return true;
        } catch (error) {
          get().notify('error', `Could not dismiss the problem: ${errorMessage(error)}`);
          return false;
        }
      },
      loadCardDetail: (articleId) => api.cardDetail({ articleId }),
      async chooseCandidate(articleId, imageId) {
        const ok = await run(articleId, 'use that image', () => api.chooseCandidate({ articleId, imageId, ...seen(articleId) }));
        if (ok) get().notify('info', 'Image changed; the story is back in review', articleId);
        return ok;
      },
      async uploadPhoto(articleId, photo) {
        // said where the editor dropped the file (not as a toast): a refused photo is usually fixed right there
        set((s) => ({ busy: { ...s.busy, [articleId]: true } }));
        try {
          await api.uploadImage({ articleId, ...photo, ...seen(articleId) });
          get().notify('info', `Photo “${photo.fileName}” is now the image; the story is in review`, articleId);
          return null;
        } catch (error) {
          return errorMessage(error);
        } finally {
          set((s) => ({ busy: { ...s.busy, [articleId]: false } }));
        }
      },
      saveImageDetails: (articleId, imageId, details) =>
        run(articleId, 'save the image details', () => api.setImageDetails({ articleId, imageId, ...details, ...seen(articleId) })),
      async undoApprove(articleId) {
        if (await run(articleId, 'undo the approval', () => api.undoApprove({ articleId, ...seen(articleId) }))) {
          set({ selectedId: articleId });
          get().notify('info', 'Approval undone; nothing was sent to readers', articleId);
        }
      },
      async setEmbargo(articleId, publishAt) {
        const done = await run(articleId, publishAt === null ? 'cancel the embargo' : 'set the embargo', () =>
          api.setEmbargo({ articleId, publishAt, ...seen(articleId) }),
        );
        if (done && publishAt === null) get().notify('info', 'Embargo cancelled', articleId);
        return done;
      },
      async publishNow(articleId) {
        const done = await run(articleId, 'publish it now', () => api.publishNow({ articleId, ...seen(articleId) }));
        if (done) get().notify('info', 'Going to readers now', articleId);
        return done;
      },
      async setPaused(paused, lane) {
        const input = lane === undefined ? {} : { lane };
        try {
          const queue = await (paused ? api.pause(input) : api.resume(input));
          // the core's queue event carries the same state; this answer may simply arrive first
          set({ queue });
          return true;
        } catch (error) {
          get().notify(
            'error',
            `Could not ${paused ? 'pause' : 'resume'} ${lane === undefined ? 'the queue' : `the ${lane} lane`}: ${errorMessage(error)}`,
          );
          return false;
        }
      },
      async prioritise(articleId) {
        if (await run(articleId, 'move the story up', () => api.prioritise({ articleId, ...seen(articleId) }))) {
          get().notify('info', 'Moved to the front of its queue', articleId);
        }
      },
      async saveSecret(name, value) {
        try {
          await api.setSecret({ name, value });
          return true;
        } catch (error) {
          get().notify('error', `Could not ${value === null ? 'remove' : 'save'} the key "${name}": ${errorMessage(error)}`);
          return false;
        }
      },

      loadSettings: () => api.settings({}),
      async setupSolo(setup) {
        const { revision } = await api.settings({});
        return api.setupSolo({ setup, baseRevision: revision });
      },
      validateSettings: async (draft) => (await api.validateSettings({ draft })).issues,
      async saveSettings(draft, baseRevision) {
        const result = await api.saveSettings({ draft, baseRevision });
        // the board marks low scores by the regular tier's minimum score: read it again
        if (result.status === 'saved')
          api.appInfo({}).then(
            (appInfo) => set({ appInfo }),
            () => undefined,
          );
        return result;
      },
      checkSourceFields: (draft) => api.checkSourceFields({ draft }),
    };
  });
}

/** Total cards per column, the held ones plus those the core still has ("show older"). */
export function columnTotal(state: Pick<BoardState, 'columns' | 'older'>, column: ColumnId): number {
  const held = state.columns[column].length;
  return (SETTLED_COLUMNS as readonly string[]).includes(column) ? held + state.older[column as SettledColumn] : held;
}

export type { ColumnIds };

/**
 * The first card event after a quiet spell is applied at once (an approval shows without waiting); the
 * ones that follow within a frame are applied together, so 50 stories generating cost one board update a
 * frame, not one each. Any other event first flushes what waits, so the order holds.
 */
function batchCardEvents(store: BoardStore): (event: HeroEvent) => void {
  let waiting: CardEvent[] | null = null;
  const flush = () => {
    const batch = waiting;
    waiting = null;
    if (batch && batch.length > 0) store.getState().applyCardEvents(batch);
  };
  const frame = (globalThis as { requestAnimationFrame?: (fn: () => void) => number }).requestAnimationFrame;
  const nextFrame = frame ? (fn: () => void) => frame(fn) : (fn: () => void) => setTimeout(fn, 16);
  return (event) => {
    if (event.type !== 'card') {
      flush();
      store.getState().applyEvent(event);
      return;
    }
    if (waiting) {
      waiting.push(event);
      return;
    }
    store.getState().applyCardEvents([event]);
    waiting = [];
    nextFrame(flush);
  };
}

/** Wires a store to its transport: events first, then the transport (which delivers snapshots). */
export function connectStore(store: BoardStore, transport: Transport): () => void {
  const state = store.getState();
  store.setState({ mySession: transport.session ?? null });
  const unsubscribe = transport.api.onEvent(batchCardEvents(store));
  transport.start({
    onState: (connection) => state.setConnection(connection),
    onSnapshot: (snapshot) => store.getState().applySnapshot(snapshot),
    onError: (error) => state.notify('error', `Board sync failed: ${errorMessage(error)}`),
  });
  transport.api.appInfo({}).then(
    (appInfo) => {
      store.setState({ appInfo });
      store.getState().refreshView(); // "low score" needs the threshold
    },
    (error: unknown) => state.notify('warn', `Could not read app info: ${errorMessage(error)}`),
  );
  return () => {
    unsubscribe();
    transport.stop();
  };
}
