// The messages between the Electron main process and the core's utility process. Commands and
// events are the shared contract's own (DispatchResult, HeroEvent) inside a thin envelope with a
// request id; the core asks main for exactly three things: the keys its config names, saving a key
// (main writes the keychain), and which proxy serves a URL (main's session knows the OS settings).
import type { DispatchResult, HeroEvent } from '../../shared/contract.ts';
import type { Actor } from '../../shared/roles.ts';
import type { StartCoreOptions } from '../core/index.ts';

/** StartCoreOptions without what cannot cross a process: the keys come by request, logs by stdout. */
export type CoreHostOptions = Omit<StartCoreOptions, 'secrets' | 'logger'> & {
  /** Whether main can save keys (the OS keychain encrypts); false: keys come from the environment only. */
  secretsWritable: boolean;
  logLevel: string;
};

export type SecretSource = 'environment' | 'keychain' | 'file' | null;
export interface SecretValue {
  name: string;
  value: string | null;
  source: SecretSource;
}

export type CoreRequest =
  | { what: 'secrets'; names: string[] }
  | { what: 'set-secret'; name: string; value: string | null }
  | { what: 'resolve-proxy'; url: string };

export type CoreRequestAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** main → core */
export type ToCore =
  | { kind: 'start'; options: CoreHostOptions }
  | { kind: 'call'; id: number; name: string; input: unknown; actor?: Actor }
  | { kind: 'answer'; id: number; answer: CoreRequestAnswer }
  | { kind: 'stop' };

/** core → main */
export type FromCore =
  | { kind: 'started' }
  /** `message` is already the editor's line (machine-errors.ts), naming the file and the next step where known. */
  | { kind: 'start-failed'; message: string }
  | { kind: 'result'; id: number; result: DispatchResult }
  | { kind: 'event'; event: HeroEvent }
  | { kind: 'ask'; id: number; request: CoreRequest }
  | { kind: 'stopped' };

/** Messages from the other side are checked for their envelope before use (a bug must not throw in main). */
function hasKind(message: unknown): boolean {
  return typeof message === 'object' && message !== null && typeof (message as { kind?: unknown }).kind === 'string';
}
export const isFromCore = (message: unknown): message is FromCore => hasKind(message);
export const isToCore = (message: unknown): message is ToCore => hasKind(message);
