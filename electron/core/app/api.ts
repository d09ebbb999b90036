// The surface both transports call. Transports stay thin: they hand raw input to `dispatch`,
// which validates it against the shared contract and maps failures to a typed error body.
import type { DispatchResult, HeroEvent } from '../../../shared/contract.ts';

export type { DispatchResult };

export interface CoreApi {
  /** Validate `input` for command `name`, run it, and return its output or a typed error. */
  dispatch(name: string, input: unknown): Promise<DispatchResult>;
  /** Live events for the board; returns an unsubscribe function. */
  onEvent(listener: (event: HeroEvent) => void): () => void;
}
