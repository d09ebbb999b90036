// Who may run which command (issue 13). The core's dispatcher enforces this table for every
// command; the board reads it only to hide what the signed-in role cannot do. A new command
// without a row here does not compile.
import { z } from 'zod';
import type { CommandName } from './contract.ts';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Who ran a command: a named account, or the desk's own operator (its single token, or the desktop app). */
export const ActorSchema = z.object({ name: z.string(), role: RoleSchema });
export type Actor = z.infer<typeof ActorSchema>;

/** The desk's own token (printed at start, in runtime.json) and the desktop app act as this admin. */
export const OPERATOR: Actor = { name: 'operator', role: 'admin' };

/** The least role each command needs: viewers read; editors decide about stories; admins run the desk. */
export const COMMAND_ROLES: Record<CommandName, Role> = {
  // reading the board
  snapshot: 'viewer',
  appInfo: 'viewer',
  queueState: 'viewer',
  ledger: 'viewer',
  cardDetail: 'viewer',
  olderCards: 'viewer',
  audit: 'viewer',
  setPresence: 'viewer',
  // deciding about stories
  approve: 'editor',
  reject: 'editor',
  regenerate: 'editor',
  setPrompt: 'editor',
  retract: 'editor',
  retryPublication: 'editor',
  prioritise: 'editor',
  checkNow: 'editor',
  dismissProblem: 'editor',
  addDemoArticle: 'editor',
  chooseCandidate: 'editor',
  uploadImage: 'editor',
  setImageDetails: 'editor',
  undoApprove: 'editor',
  setEmbargo: 'editor',
  publishNow: 'editor',
  bulk: 'editor',
  // running the desk: the whole queue, settings, keys
  pause: 'admin',
  resume: 'admin',
  secrets: 'admin',
  setSecret: 'admin',
  settings: 'admin',
  validateSettings: 'admin',
  saveSettings: 'admin',
  checkSourceFields: 'admin',
  setupSolo: 'admin',
};

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function mayRun(actor: Actor, command: CommandName): boolean {
  return roleAllows(actor.role, COMMAND_ROLES[command]);
}
