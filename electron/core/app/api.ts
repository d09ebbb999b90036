// The surface both transports call. Transports stay thin: they hand raw input to `dispatch`,
// which validates it against the shared contract and maps failures to a typed error body.
import type { DispatchResult, HeroEvent } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/roles.ts';
import type { AccountVerifier } from '../accounts/accounts.ts';
import type { PresenceRegistry } from './presence.ts';

export type { DispatchResult };

export interface CoreApi {
  /**
   * Validate `input` for command `name`, run it as `actor` (its role checked against COMMAND_ROLES;
   * default: the desk's own operator, an admin), and return its output or a typed error.
   */
  dispatch(name: string, input: unknown, actor?: Actor): Promise<DispatchResult>;
  /** Live events for the board; returns an unsubscribe function. */
  onEvent(listener: (event: HeroEvent) => void): () => void;
  /** The newsroom desk's personal tokens (absent: only the desk's own token is accepted). */
  accounts?: AccountVerifier;
  /** Who has a board open; the bridge joins and leaves boards as their event sockets open and close. */
  presence?: Pick<PresenceRegistry, 'join' | 'leave'>;
}
