// What the board needs from a transport, whichever one is underneath (Electron IPC or the web bridge).
import type { CommandOutput, HeroDeskApi } from '../../../shared/contract.ts';

/** unauthorized: the bridge refused the token (Hero Desk restarted with a new one); only a fresh board URL helps. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';
export type Snapshot = CommandOutput<'snapshot'>;

export interface TransportHandlers {
  onState(state: ConnectionState): void;
  /** A fresh board after every (re)connect: events may have been missed while away. */
  onSnapshot(snapshot: Snapshot): void;
  onError(error: unknown): void;
}

export interface Transport {
  readonly kind: 'ipc' | 'web';
  readonly api: HeroDeskApi;
  /** The web board's session on the desk (its presence), absent over IPC. */
  readonly session?: string;
  /** Starts delivering state and snapshots; call once the handlers are ready to receive them. */
  start(handlers: TransportHandlers): void;
  stop(): void;
}
