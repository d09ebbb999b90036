// First run, "Run the pipeline on this computer" (issue 14), through a running core: the answers
// become a config the file's own validator accepts, written atomically over the revision the screen
// read, keys stored one way, and the live field check of the new datasheet (the fake Fusion server)
// with its mapping suggestions. Mistakes are refused before anything is written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput, SoloSetup } from '../../shared/contract.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { checkConfig } from '../../electron/core/settings/config-check.ts';
import { parseDatasheetLink } from '../../electron/core/settings/setup.ts';
import { startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const fakes: FakeFusion[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const fake of fakes.splice(0)) await fake.close();
  dirs.cleanup();
});

/** A demo core (no config yet) with a writable key store, as the desktop app's keychain is. */
async function boot(configText?: string) {
  const dataDir = dirs.make();
  const configPath = join(dataDir, 'hero-desk.config.json');
  if (configText !== undefined) writeFileSync(configPath, configText);
  const keys = new Map<string, string>();
  const secrets = {
    get: (name: string) => keys.get(name),
    sourceOf: (name: string) => (keys.has(name) ? ('keychain' as const) : null),
    set: async (name: string, value: string | null) => void (value === null ? keys.delete(name) : keys.set(name, value)),
  };
  const core = await startCore({ dataDir, transport: 'ipc', secrets, logger: silentLogger(), mediaPort: 0, relayPort: 0 });
  cores.push(core);
  return { core, configPath, keys };
}

async function call<K extends 'settings' | 'setupSolo'>(core: RunningCore, name: K, input: unknown = {}): Promise<CommandOutput<K>> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<K>;
}

describe('first-run setup of this computer’s pipeline', () => {
  it('writes a validated config from the answers, keeps the keys out of it, and checks the datasheet’s fields', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const { core, configPath, keys } = await boot();
    expect(existsSync(configPath)).toBe(false);
    const { revision } = await call(core, 'settings');
    const setup: SoloSetup = {
      datasheet: `${fake.baseUrl.replace('/fusion/v1', '')}/workbench/${fake.datasheetId}/viwDefault001`,
      aitableToken: 'test-token',
      images: { type: 'openai', apiKey: 'sk-test-openai' },
      storage: { type: 'disk' },
      publisher: { type: 'webhook', url: 'https://www.example.com/hooks/hero', signingSecret: 'whsec-test' },
    };
    const result = await call(core, 'setupSolo', { setup, baseRevision: revision });
    expect(result.status).toBe('saved');
    if (result.status !== 'saved') return;
    expect(result.keysSaved).toEqual(['aitable', 'openai', 'webhookSigningSecret']);
    expect([...keys.entries()]).toEqual(
      expect.arrayContaining([
        ['aitable', 'test-token'],
        ['openai', 'sk-test-openai'],
        ['webhookSigningSecret', 'whsec-test'],
      ]),
    );

    const text = readFileSync(configPath, 'utf8');
    for (const secret of ['test-token', 'sk-test-openai', 'whsec-test']) expect(text).not.toContain(secret);
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(checkConfig(file).ok).toBe(true);
    expect(file.source).toEqual({
      type: 'aitable',
      datasheetId: fake.datasheetId,
      viewId: 'viwDefault001',
      baseUrl: fake.baseUrl,
      tokenSecret: 'aitable',
    });
    expect(file.tiers).toMatchObject({
      breaking: { providers: ['setup-images', 'title-card'] },
      regular: { providers: ['setup-images', 'title-card'] },
    });
    expect(file.publisher).toEqual({ type: 'webhook', url: 'https://www.example.com/hooks/hero', signingSecret: 'webhookSigningSecret' });
    expect(result.needsRestart.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['source.datasheetId', 'publisher.type', 'tiers.breaking.providers']),
    );

    // the live field check with the new token: the default mapping's fields are found
    expect(result.fieldCheck).toMatchObject({ status: 'checked' });
    if (result.fieldCheck.status !== 'checked') return;
    expect(result.fieldCheck.fields.map((field) => field.name)).toContain('Headline');
    expect(result.fieldCheck.roles.find((role) => role.path === 'source.mapping.headline')).toMatchObject({ status: 'ok' });
  });

  it('refuses mistakes with their paths and writes nothing; refuses a stale revision', async () => {
    const { core, configPath } = await boot('{\n    "site": "The Harbour Herald"\n}\n');
    const { revision } = await call(core, 'settings');
    const bad: SoloSetup = {
      datasheet: 'my newsroom sheet',
      images: { type: 'title-card' },
      storage: { type: 'r2', accountId: '', bucket: 'heroes', publicBaseUrl: 'not a url' },
      publisher: { type: 'relay' },
    };
    const result = await call(core, 'setupSolo', { setup: bad, baseRevision: revision });
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const paths = result.issues.map((issue) => issue.path);
    expect(paths).toContain('source.datasheetId');
    expect(result.issues.find((issue) => issue.path === 'source.datasheetId')?.message).toContain('dst…');
    expect(result.issues.some((issue) => issue.path.startsWith('storage'))).toBe(true);
    expect(readFileSync(configPath, 'utf8')).toBe('{\n    "site": "The Harbour Herald"\n}\n');

    const good: SoloSetup = {
      datasheet: 'dstNewsroom000001',
      images: { type: 'title-card' },
      storage: { type: 'disk' },
      publisher: { type: 'relay' },
    };
    expect(await call(core, 'setupSolo', { setup: good, baseRevision: 'stale' })).toMatchObject({ status: 'conflict' });
    const saved = await call(core, 'setupSolo', { setup: good, baseRevision: revision });
    expect(saved.status).toBe('saved');
    // the rest of the file is kept, in its own indentation
    const text = readFileSync(configPath, 'utf8');
    expect(text).toContain('    "site": "The Harbour Herald"');
    expect(JSON.parse(text)).toMatchObject({ source: { type: 'aitable', datasheetId: 'dstNewsroom000001', tokenSecret: 'aitable' } });
    // no token given and none stored: the field check says which key to set, no crash
    expect(saved.status === 'saved' && saved.fieldCheck).toMatchObject({ status: 'unavailable' });
  });

  it('reads datasheet links from AITable and self-hosted APITable, and bare ids', () => {
    expect(parseDatasheetLink('https://aitable.ai/workbench/dstAbCdEf123/viwXyZ9')).toEqual({
      baseUrl: 'https://aitable.ai/fusion/v1',
      datasheetId: 'dstAbCdEf123',
      viewId: 'viwXyZ9',
    });
    expect(parseDatasheetLink('https://tables.newsroom.example/workbench/dstAbCdEf123')).toEqual({
      baseUrl: 'https://tables.newsroom.example/fusion/v1',
      datasheetId: 'dstAbCdEf123',
      viewId: null,
    });
    expect(parseDatasheetLink(' dstAbCdEf123 ')).toEqual({
      baseUrl: 'https://aitable.ai/fusion/v1',
      datasheetId: 'dstAbCdEf123',
      viewId: null,
    });
    expect(parseDatasheetLink('https://aitable.ai/workbench')).toContain('dst…');
  });
});
