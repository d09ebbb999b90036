// Keys: the config's adapters name their secrets; editors can set them over the contract, the
// values land in a 0600 file (headless) and never come back out in events, snapshots or errors.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent, SecretsStatus } from '../../shared/contract.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { createHeadlessSecretStore, envName } from '../../electron/core/adapters/secrets.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

describe('headless secret store', () => {
  it('prefers the environment, then the 0600 file, and writes atomically with 0600', async () => {
    const dir = dirs.make();
    const store = createHeadlessSecretStore(dir, { [envName('openai')]: 'from-env' });
    expect(store.get('openai')).toBe('from-env');
    expect(store.sourceOf('openai')).toBe('environment');
    expect(store.sourceOf('replicate')).toBeNull();
    await store.set('replicate', 'r8_value');
    expect(store.get('replicate')).toBe('r8_value');
    expect(store.sourceOf('replicate')).toBe('file');
    const path = join(dir, 'secrets.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ replicate: 'r8_value' });
    await store.set('replicate', null);
    expect(store.get('replicate')).toBeUndefined();
    // a fresh store reads what was saved
    await store.set('aitable', 'usk_1');
    expect(createHeadlessSecretStore(dir, {}).get('aitable')).toBe('usk_1');
  });

  it('refuses a secrets file other users can read', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'secrets.json'), '{"openai":"x"}', { mode: 0o644 });
    expect(() => createHeadlessSecretStore(dir, {})).toThrow(/chmod 600/);
  });
});

describe('keys over the contract', () => {
  it('lists the keys the config uses and saves one without ever echoing its value', async () => {
    const dataDir = dirs.make();
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        providers: { premium: { type: 'openai', baseURL: 'http://127.0.0.1:9/v1' } },
        tiers: { breaking: { providers: ['premium', 'title-card'] } },
      }),
    );
    const events: HeroEvent[] = [];
    const secrets = createHeadlessSecretStore(dataDir, {});
    const core = await startCore({ dataDir, transport: 'web', secrets, logger: silentLogger(), mediaPort: 0, relayPort: 0 });
    cores.push(core);
    core.onEvent((event) => events.push(event));

    const listed = await core.dispatch('secrets', {});
    expect(listed).toEqual({ ok: true, value: { writable: true, secrets: [{ name: 'openai', source: null }] } satisfies SecretsStatus });
    expect(await core.dispatch('setSecret', { name: 'stripe', value: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const value = 'sk-test-DO-NOT-ECHO-1234567890';
    expect(await core.dispatch('setSecret', { name: 'openai', value })).toEqual({ ok: true, value: { ok: true } });
    expect(secrets.get('openai')).toBe(value);
    expect(await core.dispatch('secrets', {})).toMatchObject({ ok: true, value: { secrets: [{ name: 'openai', source: 'file' }] } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const everything = JSON.stringify([events, await core.dispatch('snapshot', {}), await core.dispatch('secrets', {})]);
    expect(everything).not.toContain(value);
    expect(events.some((e) => e.type === 'notice' && e.message === 'Key "openai" saved')).toBe(true);
  });
});
