// One place that listens to the fakes and the relay tap and hands each event to whichever
// probes are armed, so several probes can watch at once without taking each other's hook.
import type { FakeFusion, FakeRequest } from '../../test/aitable/fake-fusion-server.ts';
import type { FakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import type { RelayTap, TapPublication } from './relay-tap.ts';

type Listener<A, R> = (arg: A) => R;

class Channel<A, R = void> {
  private readonly listeners = new Set<Listener<A, R>>();
  on(listener: Listener<A, R>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  each(): Listener<A, R>[] {
    return [...this.listeners];
  }
}

export interface Hooks {
  /** An authorised request reached the AITable fake; a returned promise holds it until it settles. */
  fusionRequest: Channel<FakeRequest, void | Promise<void>>;
  /** The AITable fake sent an answer in full. */
  fusionResponse: Channel<FakeRequest>;
  imageCall: Channel<Record<string, unknown>>;
  imageAnswer: Channel<Record<string, unknown>>;
  publication: Channel<TapPublication>;
  /** The relay answered a publication; 'cut' drops the answer. */
  relayAnswer: Channel<TapPublication, Promise<'forward' | 'cut'>>;
}

export function installHooks(fake: FakeFusion, a1111: FakeA1111, tap: RelayTap): Hooks {
  const hooks: Hooks = {
    fusionRequest: new Channel(),
    fusionResponse: new Channel(),
    imageCall: new Channel(),
    imageAnswer: new Channel(),
    publication: new Channel(),
    relayAnswer: new Channel(),
  };
  fake.onRequest = async (req) => {
    await Promise.all(hooks.fusionRequest.each().map((listener) => Promise.resolve(listener(req))));
  };
  fake.onResponse = (req) => hooks.fusionResponse.each().forEach((listener) => listener(req));
  a1111.onCall = (body) => hooks.imageCall.each().forEach((listener) => listener(body));
  a1111.onAnswer = (body) => hooks.imageAnswer.each().forEach((listener) => listener(body));
  tap.onPublish = (publication) => hooks.publication.each().forEach((listener) => listener(publication));
  tap.beforeAnswer = async (publication) => {
    for (const listener of hooks.relayAnswer.each()) if ((await listener(publication)) === 'cut') return 'cut';
    return 'forward';
  };
  return hooks;
}
