// The command side of the contract: validate input with the shared schema, run the command,
// map failures to the typed error body. Both transports call `dispatch` and nothing else.
import type { z } from 'zod';
import type { Logger } from '../base/log.ts';
import {
  isCommandName,
  parseCommand,
  type AppInfo,
  type commands,
  type CommandName,
  type CommandOutput,
} from '../../../shared/contract.ts';
import { COMMAND_ROLES, mayRun, OPERATOR, type Actor } from '../../../shared/roles.ts';
import { IllegalTransitionError } from '../../../shared/state-machine.ts';
import { NotFoundError, requireArticle, updateArticle } from '../store/articles.ts';
import {
  ActionRefusedError,
  queueGeneration,
  rejectArticle,
  retractArticle,
  retryPublication,
  type ActionDeps,
} from '../pipeline/article-actions.ts';
import { drawerHandlers, type DrawerDeps } from './drawer-commands.ts';
import { PhotoRejectedError } from '../pipeline/editor-photo.ts';
import type { DispatchResult } from './api.ts';
import { boardCards, dueWithinOf, olderCards, type CardGate, type CardUrls } from './cards.ts';
import { approveThroughGate } from '../pipeline/approve-gate.ts';
import { runBulk } from './bulk.ts';
import { auditEntries } from './attribution.ts';
import { revisionOf } from '../store/revisions.ts';
import type { PresenceRegistry } from './presence.ts';
import type { Store } from '../store/store.ts';
import { asDesk, runAs } from '../store/actor-context.ts';
import { ledgerFor } from './ledger.ts';
import { listProblems, resolveProblem } from '../store/problems.ts';
import { latestSuggestion } from '../store/images.ts';
import { prioritiseJob, queueState, setPaused } from '../store/queue-state.ts';
import type { Tier } from '../../../shared/domain.ts';
import type { TierConfig } from '../config/schema.ts';
import { isWritableSecretStore, type SecretStore } from '../adapters/types.ts';
import { settingsHandlers } from '../settings/commands.ts';
import type { SettingsService } from '../settings/service.ts';
import { errorMessage } from '../base/failures.ts';

export interface CommandDeps extends ActionDeps, DrawerDeps {
  logger: Pick<Logger, 'info' | 'warn'>;
  appInfo(): AppInfo;
  /** Makes card image URLs from stored keys. */
  urls: CardUrls;
  secrets: SecretStore;
  /** Secret names the configured adapters use: the only ones the board may set. */
  secretNames: readonly string[];
  /** Re-run the adapters' start-up checks (after a key changed). */
  recheck(): void;
  tiers: Record<Tier, TierConfig>;
  /** Present only with the embedded demo source. */
  addDemoArticle: ((fields: { headline: string; summary: string; section: string; breaking: boolean }) => string) | null;
  /** Ask the source for news now. */
  checkNow(): Promise<void>;
  /** The settings screen's reads, checks and saves of the config file. */
  settings: SettingsService;
  /** Pass marks and the cost forecast per tier for cards and the ledger (default: the tiers' pass marks, no forecast). */
  cardGate?: CardGate;
  /** Who has a board open (the web bridge's boards); absent: nobody reports presence (the desktop app). */
  presence?: PresenceRegistry;
}

/** Each handler returns its command's output as the contract declares it (test/core/command-outputs.test.ts checks the values). */
type Handlers = {
  [K in CommandName]: (input: z.output<(typeof commands)[K]['input']>, actor: Actor) => CommandOutput<K> | Promise<CommandOutput<K>>;
};

export type Dispatch = (name: string, input: unknown, actor?: Actor) => Promise<DispatchResult>;

export function createDispatcher(deps: CommandDeps): Dispatch {
  const { store } = deps;
  const due = dueWithinOf(deps.tiers);
  const gate = deps.cardGate ?? { minScore: (tier: Tier) => deps.tiers[tier].minScore, estimateUsd: () => null };
  /** Breaking news goes out at once; anything else waits out the undo window first (one or in bulk). A failed safety check needs a reason. */
  const approveByEditor = (articleId: string, note: string, overrideReason?: string) =>
    approveThroughGate(deps, articleId, {
      note,
      overrideReason,
      undoWindowMs: requireArticle(store, articleId).breaking ? 0 : deps.undoWindowMs,
      minScore: gate.minScore,
      onOverride: (id, reason, failed) =>
        deps.logger.warn({ articleId: id, reason, failed }, `safety gate overridden by an editor: ${reason} (${failed.join('; ')})`),
    });

  /** A Regenerate without an edited prompt takes the scorer's latest advice (it goes through the prompt builder like any). */
  const useLatestSuggestion = (articleId: string) => {
    const article = requireArticle(store, articleId);
    const suggestion = latestSuggestion(store, articleId);
    if (suggestion !== null && suggestion !== article.prompt_override)
      updateArticle(store, articleId, { prompt_override: suggestion }, 'prompt_suggestion_used');
  };
  const handlers: Handlers = {
    snapshot: () =>
      store.transaction(() => {
        const { cards, older } = boardCards(store, deps.urls, due, gate);
        return {
          seq: store.lastSeq(),
          cards,
          problems: listProblems(store),
          queue: queueState(store),
          older,
          ...(deps.presence ? { presence: deps.presence.list() } : {}),
        };
      }),
    appInfo: (_input, actor) => ({ ...deps.appInfo(), actor: { name: actor.name, role: actor.role } }),
    approve: ({ articleId, overrideReason }) => {
      approveByEditor(articleId, 'approved by editor', overrideReason);
      return { ok: true };
    },
    reject: ({ articleId, reason }) => {
      rejectArticle(deps, articleId, reason);
      return { ok: true };
    },
    regenerate: ({ articleId, prompt }) => {
      store.transaction(() => {
        if (prompt !== undefined) updateArticle(store, articleId, { prompt_override: prompt.trim() || null }, 'prompt_edited');
        else useLatestSuggestion(articleId);
        queueGeneration(deps, articleId, { editorRequested: true, note: 'regenerate requested by editor' });
      });
      return { ok: true };
    },
    setPrompt: ({ articleId, prompt }) => {
      store.transaction(() => {
        requireArticle(store, articleId);
        updateArticle(store, articleId, { prompt_override: prompt?.trim() || null }, 'prompt_edited');
      });
      return { ok: true };
    },
    retract: ({ articleId, reason }) => {
      retractArticle(deps, articleId, reason);
      return { ok: true };
    },
    retryPublication: ({ articleId }) => {
      retryPublication(deps, articleId);
      return { ok: true };
    },
    queueState: () => queueState(store),
    pause: ({ lane }) => {
      if (setPaused(store, true, lane, 'editor'))
        deps.logger.warn({ lane: lane ?? 'all' }, `queue paused (${lane ?? 'every lane'}) by an editor`);
      return queueState(store);
    },
    resume: ({ lane }) => {
      if (setPaused(store, false, lane, 'editor')) deps.logger.info({ lane: lane ?? 'all' }, `queue resumed (${lane ?? 'every lane'})`);
      deps.wake();
      return queueState(store);
    },
    prioritise: ({ articleId }) => {
      const article = requireArticle(store, articleId);
      if (!prioritiseJob(store, articleId)) throw new InvalidInput(`“${article.headline}” has no job waiting in the queue`);
      deps.wake();
      return { ok: true };
    },
    checkNow: async () => {
      // what the poll brings in is the source's doing, not the editor's who asked for it
      await asDesk(() => deps.checkNow());
      return { ok: true };
    },
    ledger: ({ day, month }) => ledgerFor(store, deps.tiers, { day, month, estimateUsd: gate.estimateUsd }),
    secrets: () => {
      const store = deps.secrets;
      const writable = isWritableSecretStore(store);
      return {
        writable,
        secrets: deps.secretNames.map((name) => ({
          name,
          source: writable ? store.sourceOf(name) : store.get(name) ? ('environment' as const) : null,
        })),
      };
    },
    setSecret: async ({ name, value }) => {
      const secrets = deps.secrets;
      if (!deps.secretNames.includes(name))
        throw new InvalidInput(`"${name}" is not a key the current config uses (${deps.secretNames.join(', ') || 'none'})`);
      if (!isWritableSecretStore(secrets)) throw new InvalidInput('keys cannot be saved here; set them in the environment');
      await secrets.set(name, value);
      store.notice('info', value === null ? `Key "${name}" removed` : `Key "${name}" saved`);
      deps.recheck();
      return { ok: true };
    },
    dismissProblem: ({ id }) => {
      // logged and pushed like any clearing (problem-log, events); a recurring fault simply opens it again
      resolveProblem(store, id);
      return { ok: true };
    },
    addDemoArticle: (fields) => {
      if (!deps.addDemoArticle) throw new InvalidInput('adding stories works only with the embedded demo datasheet');
      const recordId = deps.addDemoArticle(fields);
      void asDesk(() => deps.checkNow());
      return { recordId };
    },
    audit: ({ since, articleId, limit }) => ({ entries: auditEntries(store, { since, articleId, limit }) }),
    setPresence: ({ session, viewing, editing }, actor) => {
      if (deps.presence && !deps.presence.update(session, actor, { viewing, editing })) {
        throw new InvalidInput('this board is not connected for live updates (no open event socket for its session); reload the board');
      }
      return { ok: true };
    },
    ...settingsHandlers(deps.settings),
    ...drawerHandlers(deps),
    olderCards: ({ column, before, limit }) =>
      store.transaction(() => ({ seq: store.lastSeq(), ...olderCards(store, deps.urls, column, before, limit, due, gate) })),
    bulk: ({ action, articleIds, reason, expectedRevisions }) => ({
      results: runBulk(articleIds, describeError, (articleId) => {
        const expected = expectedRevisions?.[articleId];
        if (expected !== undefined) assertRevision(store, articleId, expected);
        if (action === 'approve') approveByEditor(articleId, 'approved by editor (bulk)');
        else if (action === 'reject') rejectArticle(deps, articleId, reason);
        else
          store.transaction(() => {
            useLatestSuggestion(articleId);
            queueGeneration(deps, articleId, { editorRequested: true, note: 'regenerate requested by editor (bulk)' });
          });
      }),
    }),
  };

  return async (name, input, actor = OPERATOR) => {
    // the role before the input: a command one may not run says so whatever was sent with it
    if (isCommandName(name) && !mayRun(actor, name)) {
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: `${actor.name} (${actor.role}) may not ${name}: it needs the ${COMMAND_ROLES[name]} role; ask an admin`,
        },
      };
    }
    const parsed = parseCommand(name, input);
    if (!parsed.ok) return parsed;
    try {
      const change = parsed.input as { articleId?: unknown; expectedRevision?: unknown };
      if (typeof change.articleId === 'string' && typeof change.expectedRevision === 'number')
        assertRevision(store, change.articleId, change.expectedRevision);
      const handler = handlers[parsed.name] as (input: unknown, actor: Actor) => unknown;
      // every event the command writes names its author (store/actor-context.ts)
      return { ok: true, value: await runAs(actor.name, () => handler(parsed.input, actor)) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  };
}

class InvalidInput extends Error {}

/** The story moved since the board that sent the command showed it (optimistic concurrency). */
export class ConflictError extends Error {}

function assertRevision(store: Store, articleId: string, expected: number): void {
  const current = revisionOf(store, articleId);
  if (current === expected) return;
  const article = requireArticle(store, articleId);
  const last = auditEntries(store, { articleId, limit: 1 })[0];
  const who = last && last.seq > expected ? ` (${last.actor} ${last.action} at ${new Date(last.at).toISOString().slice(11, 16)} UTC)` : '';
  throw new ConflictError(`“${article.headline}” changed since your board showed it${who}; look at it again, then decide`);
}

function describeError(error: unknown): string {
  return toErrorBody(error).message;
}

function toErrorBody(error: unknown): {
  code: 'invalid_input' | 'not_found' | 'illegal_transition' | 'conflict' | 'internal';
  message: string;
} {
  if (error instanceof ConflictError) return { code: 'conflict', message: error.message };
  if (error instanceof NotFoundError) return { code: 'not_found', message: error.message };
  if (error instanceof IllegalTransitionError || error instanceof ActionRefusedError)
    return { code: 'illegal_transition', message: error.message };
  if (error instanceof InvalidInput || error instanceof PhotoRejectedError) return { code: 'invalid_input', message: error.message };
  return { code: 'internal', message: errorMessage(error) };
}
