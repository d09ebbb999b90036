// The desktop app's own setup contract (first run, issue 14; one desk, many boards, issue 13): how
// this computer's board is connected — the demo, the pipeline on this computer (solo), or a remote
// newsroom desk over HTTPS/WSS. Main answers these over their own IPC channels (electron/main/
// first-run.ts); the board commands (contract.ts) stay the same whichever way the board is connected.
import { z } from 'zod';
import { ActorSchema } from './roles.ts';

/** The desktop app's page origin (electron/main/app-protocol.ts); a desk lets it call across origins. */
export const DESKTOP_APP_ORIGIN = 'app://board';

/** Why a desk could not be used, each with its own next step in `message`. */
export const DeskRefusalSchema = z.enum(['address', 'unreachable', 'tls', 'token', 'rate_limited', 'not_a_desk', 'timeout']);
export type DeskRefusal = z.infer<typeof DeskRefusalSchema>;

export const DeskCheckSchema = z.discriminatedUnion('status', [
  /** The desk answered and accepted the token; `actor` is the account it signed in as. */
  z.object({ status: z.literal('ok'), deskUrl: z.string(), actor: ActorSchema.nullable() }),
  z.object({ status: z.literal('refused'), reason: DeskRefusalSchema, message: z.string() }),
]);
export type DeskCheck = z.infer<typeof DeskCheckSchema>;

export const DeskConnectInputSchema = z.strictObject({ deskUrl: z.string().trim().max(300), token: z.string().trim().max(200) });
export type DeskConnectInput = z.infer<typeof DeskConnectInputSchema>;

/** What the board is connected to; stored in the app's data folder (the token in the keychain). */
export const DesktopConnectionSchema = z.discriminatedUnion('mode', [
  /** No choice and no config yet: the first-run screen is shown (over the demo, which runs meanwhile). */
  z.object({ mode: z.literal('first-run') }),
  /** This computer runs the pipeline: the demo's embedded defaults or its own config file. */
  z.object({ mode: z.literal('solo'), configPath: z.string() }),
  /**
   * A remote desk: the board uses the web transport to `deskUrl`. The token is handed to the board's
   * own frame for this session only (memory, never storage); `check` is the desk's answer at start.
   */
  z.object({ mode: z.literal('desk'), deskUrl: z.string(), token: z.string(), check: DeskCheckSchema }),
]);
export type DesktopConnection = z.infer<typeof DesktopConnectionSchema>;

/** `window.heroDeskSetup`, exposed by the preload next to `window.heroDesk`. */
export interface DesktopSetupBridge {
  connection(): Promise<DesktopConnection>;
  /** Keep this computer's pipeline (demo or config): the choice is stored, the board shows. */
  chooseSolo(): Promise<DesktopConnection>;
  /** Checks the desk with the token; only an accepted pair is stored, then the app restarts onto it. */
  connectDesk(input: DeskConnectInput): Promise<DeskCheck>;
  /** Asks the stored desk again (after "Reconnecting…" went on too long, or "Try again"). */
  checkDesk(): Promise<DeskCheck>;
  /** Forget the desk (and its token) and restart with this computer's own pipeline. */
  switchToSolo(): Promise<void>;
  /** Restarts Hero Desk (the core stops cleanly first), so a new config's source, storage and publisher take over. */
  restart(): Promise<void>;
  /** Opens the shipped example config file (every adapter, provider and key name) in the system's editor. */
  openConfigExample(): Promise<{ ok: boolean; message: string }>;
}

export type SetupVerb = keyof DesktopSetupBridge;
export const SETUP_VERBS = [
  'connection',
  'chooseSolo',
  'connectDesk',
  'checkDesk',
  'switchToSolo',
  'restart',
  'openConfigExample',
] as const satisfies readonly SetupVerb[];
export const setupChannel = (verb: SetupVerb): string => `hero-desk:setup:${verb}`;
