// The board inside the Electron window: the preload's verbs resolve to DispatchResults (class
// instances do not cross contextBridge), which are unwrapped here into values or CommandErrors.
import { CommandError, buildApi, type CommandName, type DispatchResult, type PreloadBridge } from '../../../shared/contract.ts';
import type { Transport } from './types.ts';

export function unwrap(result: DispatchResult): unknown {
  if (result.ok) return result.value;
  throw new CommandError(result.error);
}

export function createIpcTransport(bridge: PreloadBridge): Transport {
  const call = async (name: CommandName, input: unknown): Promise<unknown> => {
    const verb = bridge[name] as (input: unknown) => Promise<DispatchResult>;
    return unwrap(await verb(input));
  };
  const api = buildApi(call, (listener) => bridge.onEvent(listener));
  return {
    kind: 'ipc',
    api,
    start(handlers) {
      // IPC cannot drop, so one snapshot after subscribing (done by the store) is enough.
      handlers.onState('live');
      api.snapshot({}).then(handlers.onSnapshot, handlers.onError);
    },
    stop() {},
  };
}
