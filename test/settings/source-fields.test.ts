// The live field check: a draft's AITable mapping against the real field list of the fake Fusion
// server, through the running core; and a mapping change saved for the next start.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CommandOutput, SettingsValues } from '../../shared/contract.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { tempDirs } from '../helpers/temp.ts';
import { stringMatching } from '../helpers/matchers.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const fakes: FakeFusion[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const fake of fakes.splice(0)) await fake.close();
  dirs.cleanup();
});

async function boot(fake: FakeFusion, secrets: Record<string, string> = { aitable: 'test-token' }) {
  const dataDir = dirs.make();
  const config = {
    source: {
      type: 'aitable',
      baseUrl: fake.baseUrl,
      datasheetId: fake.datasheetId,
      pollIntervalMs: 60_000,
      mapping: { breaking: 'Breaking' },
      retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
    },
  };
  writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify(config, null, 2));
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: (n) => secrets[n] },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return { core, dataDir };
}

async function call<K extends 'settings' | 'saveSettings' | 'checkSourceFields'>(
  core: RunningCore,
  name: K,
  input: unknown = {},
): Promise<CommandOutput<K>> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<K>;
}

const sourceDraft = (source: NonNullable<SettingsValues['source']>) => ({
  source: { mapping: source.mapping, writeBack: source.writeBack },
});

describe('AITable field check from settings', () => {
  it('offers the datasheet fields and names missing fields (did you mean), wrong types and the right key', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const { core } = await boot(fake);
    const view = await call(core, 'settings');
    expect(view.source).toMatchObject({ type: 'aitable', datasheetId: fake.datasheetId, fieldKey: 'name', tokenSecret: 'aitable' });
    const source = structuredClone(view.saved!.source!);
    source.mapping.headline = 'Headlin';
    source.mapping.storyType = 'fldStoryType1';
    source.writeBack.enabled = true;
    source.writeBack.fields.score = 'Alt text';
    source.writeBack.fields.cost = 'Created';
    const result = await call(core, 'checkSourceFields', { draft: sourceDraft(source) });
    expect(result.status).toBe('checked');
    if (result.status !== 'checked') return;
    expect(result.fields.map((f) => f.name)).toContain('Headline');
    expect(result.fields.find((f) => f.name === 'Created')).toMatchObject({ type: 'CreatedTime', editable: false });
    const role = (path: string) => result.roles.find((r) => r.path === path);
    expect(role('source.mapping.headline')).toMatchObject({
      status: 'missing',
      ref: 'Headlin',
      suggestion: 'Headline',
      message: 'headline: no field "Headlin" in datasheet',
    });
    expect(role('source.mapping.summary')).toMatchObject({ status: 'ok', ref: 'Summary' });
    expect(role('source.mapping.breaking')).toMatchObject({ status: 'ok', ref: 'Breaking' });
    expect(role('source.mapping.storyType')).toMatchObject({ status: 'wrong_key', suggestion: 'Story type' });
    expect(role('source.mapping.promptOverride')).toMatchObject({
      status: 'unset',
      ref: null,
      expected: ['SingleText', 'Text', 'Formula', 'LookUp'],
    });
    expect(role('source.writeBack.fields.score')).toMatchObject({
      status: 'wrong_type',
      message: 'writeBack.score: field "Alt text" is Text, expected Number or Rating',
    });
    expect(role('source.writeBack.fields.cost')).toMatchObject({ status: 'wrong_type' });
    expect(role('source.writeBack.fields.status')).toMatchObject({ status: 'ok', ref: 'Image status' });

    // a draft the validator refuses is reported per field before AITable is asked
    const invalid = await call(core, 'checkSourceFields', { draft: { source: { mapping: { ...source.mapping, headlin: 'x' } } } });
    expect(invalid).toEqual({
      status: 'invalid',
      issues: [{ path: 'source.mapping.headlin', message: 'unknown key — did you mean "headline"?' }],
    });
  });

  it('without a working key it says which key to set in Keys', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const { core } = await boot(fake, {});
    const view = await call(core, 'settings');
    const result = await call(core, 'checkSourceFields', { draft: sourceDraft(view.saved!.source!) });
    expect(result).toEqual({ status: 'unavailable', message: stringMatching(/Set the key "aitable" in Keys/) });
  });

  it('a saved mapping waits for a restart, and the running source keeps the old one until then', async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const { core, dataDir } = await boot(fake);
    const view = await call(core, 'settings');
    const source = structuredClone(view.saved!.source!);
    source.mapping.storyType = 'Story type';
    source.writeBack = { enabled: true, fields: { ...source.writeBack.fields, score: 'Score' } };
    const saved = await call(core, 'saveSettings', { draft: sourceDraft(source), baseRevision: view.revision });
    expect(saved).toMatchObject({ status: 'saved', applied: [] });
    if (saved.status !== 'saved') return;
    expect(saved.needsRestart.map((issue) => issue.path)).toEqual(['source.mapping.storyType', 'source.writeBack']);
    expect(saved.needsRestart[0]!.message).toMatch(/set up when Hero Desk starts: restart Hero Desk to apply/);
    expect(saved.settings.running.source?.mapping.storyType).toBeNull();
    expect(saved.settings.saved?.source?.mapping.storyType).toBe('Story type');
    const file = z.object({ source: z.unknown() }).parse(JSON.parse(readFileSync(join(dataDir, 'hero-desk.config.json'), 'utf8')));
    expect(file.source).toEqual({
      type: 'aitable',
      baseUrl: fake.baseUrl,
      datasheetId: fake.datasheetId,
      pollIntervalMs: 60_000,
      mapping: { breaking: 'Breaking', storyType: 'Story type' },
      retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
      writeBack: { enabled: true, fields: { score: 'Score' } },
    });
    expect(JSON.stringify(file)).not.toContain('test-token');
  });
});
