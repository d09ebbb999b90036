import { afterEach, describe, expect, it } from 'vitest';
import { runStandaloneRelay } from '../../electron/core/relay/standalone.ts';
import type { RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { SECRET, health, publication, publish } from './helpers.ts';

let relay: RelayHandle | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});

const quiet = { info: () => {}, warn: () => {} };

describe('standalone relay runner', () => {
  it('refuses to start without the secret in the named environment variable', async () => {
    await expect(
      runStandaloneRelay({ port: 0, secretEnv: 'HD_TEST_SECRET', env: {}, handleSignals: false, logger: quiet }),
    ).rejects.toThrow(/HD_TEST_SECRET/);
  });

  it('starts with the secret from the environment and accepts publishes signed with it', async () => {
    relay = await runStandaloneRelay({
      port: 0,
      dataFile: ':memory:',
      secretEnv: 'HD_TEST_SECRET',
      env: { HD_TEST_SECRET: SECRET },
      handleSignals: false,
      logger: quiet,
    });
    expect((await publish(relay.url, publication())).status).toBe(200);
    expect((await publish(relay.url, publication(), 'other-secret-value')).status).toBe(401);
    expect((await health(relay.url)).seq).toBe(1);
  });
});
