// Strict config: an unknown key is an error at every level (top, nested sections, adapter entries and
// their nested options), named by its full path with the nearest known key, all of a file's at once.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../electron/core/settings/config-load.ts';
import { nearestName } from '../../electron/core/config/issues.ts';
import { TIERS } from '../../shared/domain.ts';

/** The mistakes parseConfig reports, one per line (the first line is the heading). */
function mistakes(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const [heading, ...lines] = (error as Error).message.split('\n');
    expect(heading).toMatch(/^config is invalid \(\d+ mistakes?\):$/);
    return lines.map((line) => line.trim());
  }
  throw new Error('expected the config to be rejected');
}

const AITABLE = { type: 'aitable', datasheetId: 'dstNewsroom000001' };

describe('strict config: unknown keys', () => {
  it('at the top level', () => {
    expect(mistakes({ pollIntervalMS: 500 })).toEqual(['pollIntervalMS: unknown key — did you mean "pollIntervalMs"?']);
    expect(mistakes({ sorce: { type: 'demo' } })).toEqual(['sorce: unknown key — did you mean "source"?']);
  });

  it('in relay: a typo in allowedOrigins no longer leaves the relay open to every origin', () => {
    expect(mistakes({ relay: { allowedOrigin: ['https://news.example'] } })).toEqual([
      'relay.allowedOrigin: unknown key — did you mean "allowedOrigins"?',
    ]);
  });

  it('in every nested section: tiers and each tier, media, publishRetry, prompt and its parts', () => {
    expect(
      mistakes({
        tiers: { braking: {}, regular: { minscore: 6 } },
        media: { prot: 8788 },
        publishRetry: { capMS: 100 },
        prompt: {
          houseStyle: {},
          houseStyles: { sport: { illustration: 'flat vector', negatve: 'logos' } },
          policy: { hardnewsSections: ['crime'] },
        },
      }),
    ).toEqual([
      'tiers.regular.minscore: unknown key — did you mean "minScore"?',
      'tiers.braking: unknown key — did you mean "breaking"?',
      'media.prot: unknown key — did you mean "port"?',
      'publishRetry.capMS: unknown key — did you mean "capMs"?',
      'prompt.houseStyles.sport.negatve: unknown key — did you mean "negative"?',
      'prompt.policy.hardnewsSections: unknown key — did you mean "hardNewsSections"?',
      'prompt.houseStyle: unknown key — did you mean "houseStyles"?',
    ]);
  });

  it('in the source: a typo in writeBack no longer turns write-back off', () => {
    expect(mistakes({ source: { ...AITABLE, writeback: { enabled: true } } })).toEqual([
      'source.writeback: unknown key — did you mean "writeBack"?',
    ]);
  });

  it("in every adapter entry's own options", () => {
    expect(
      mistakes({
        providers: {
          premium: { type: 'openai', modle: 'gpt-image-2', concurency: 2 },
          flux: { type: 'workers-ai', accountId: 'acct', guidence: 3 },
          sd: { type: 'automatic1111', cfgscale: 6 },
          comfy: { type: 'comfyui', timeout: 1000 },
          rep: { type: 'replicate', model: 'owner/model', waitSecond: 10 },
          card: { type: 'title-card', brnd: 'Herald' },
          defaults: { type: 'default-image', dirr: '/srv/images' },
        },
        scorers: [
          { type: 'local', passScor: 7 },
          { type: 'openai-vision', maxwidth: 512 },
        ],
        storage: { type: 'r2', bucket: 'heroes', publicBaseUrl: 'https://img.example', accountId: 'acct', bucketName: 'x' },
        publisher: { type: 'centrifugo', apiUrl: 'https://relay.example', chanel: 'heroes' },
        promptWriter: { type: 'openai', maxChar: 500 },
      }),
    ).toEqual([
      'providers.premium.modle: unknown key — did you mean "model"?',
      'providers.premium.concurency: unknown key — did you mean "concurrency"?',
      'providers.flux.guidence: unknown key — did you mean "guidance"?',
      'providers.sd.cfgscale: unknown key — did you mean "cfgScale"?',
      'providers.comfy.timeout: unknown key — did you mean "timeoutMs"?',
      'providers.rep.waitSecond: unknown key — did you mean "waitSeconds"?',
      'providers.card.brnd: unknown key — did you mean "brand"?',
      'providers.defaults.dirr: unknown key — did you mean "dir"?',
      'scorers[0].passScor: unknown key — did you mean "passScore"?',
      'scorers[1].maxwidth: unknown key — did you mean "maxWidth"?',
      'storage.bucketName: unknown key — did you mean "bucket"?',
      'publisher.chanel: unknown key — did you mean "channel"?',
      'promptWriter.maxChar: unknown key — did you mean "maxChars"?',
    ]);
  });

  it('in the embedded adapters, which take no options but a demo poll interval', () => {
    expect(
      mistakes({ source: { type: 'demo', poll: 500 }, storage: { type: 'disk', dir: '/tmp' }, publisher: { type: 'relay', port: 1 } }),
    ).toEqual(['source.poll: unknown key — did you mean "pollIntervalMs"?', 'storage.dir: unknown key', 'publisher.port: unknown key']);
    expect(mistakes({ publisher: { type: 'external-relay', url: 'https://relay.example', secretName: 'relay' } })).toEqual([
      'publisher.secretName: unknown key — did you mean "publishSecretName"?',
    ]);
    expect(
      mistakes({ providers: { w: { type: 'webhook' } }, publisher: { type: 'webhook', url: 'https://x.example', header: {} } }),
    ).toEqual([
      'providers.w.type: unknown provider type "webhook" (known: workers-ai, automatic1111, comfyui, replicate, default-image, title-card, openai)',
      'publisher.header: unknown key — did you mean "headers"?',
    ]);
  });

  it('in nested adapter options: AITable mapping, routing, writeBack and its fields, statusLabels, webhook, retry', () => {
    expect(
      mistakes({
        source: {
          ...AITABLE,
          mapping: { headlne: 'Headline', breaking: { field: 'Priority', in: ['Urgent'], truthyy: true } },
          routing: [{ field: 'Section', equals: 'Sponsored', tier: 'default', tierr: 'x' }],
          writeBack: { enabled: true, fields: { staus: 'Image status' }, statusLabels: { queud: 'Queued' } },
          webhook: { enabled: true, secret: 'x' },
          retry: { retries: 2, minTimeout: 5 },
        },
      }),
    ).toEqual([
      'source.mapping.breaking.truthyy: unknown key — did you mean "truthy"?',
      'source.mapping.headlne: unknown key — did you mean "headline"?',
      'source.routing[0].tierr: unknown key — did you mean "tier"?',
      'source.writeBack.fields.staus: unknown key — did you mean "status"?',
      'source.writeBack.statusLabels.queud: unknown key — did you mean "queued"?',
      'source.webhook.secret: unknown key — did you mean "secretName"?',
      'source.retry.minTimeout: unknown key — did you mean "minTimeoutMs"?',
    ]);
  });

  it('in nested provider options: OpenAI quality, sizes and prices, ComfyUI bindings', () => {
    expect(
      mistakes({
        providers: {
          premium: {
            type: 'openai',
            quality: { brekaing: 'high' },
            maxCustomSize: { width: 2048, heigth: 2048 },
            prices: { 'gpt-image-2': { textInput: 5, textOutput: 10, txtInput: 5 } },
          },
          comfy: { type: 'comfyui', workflowPath: '/w.json', nodes: { prompt: { node: '6', inputs: 'text' } } },
        },
      }),
    ).toEqual([
      'providers.premium.prices.gpt-image-2.txtInput: unknown key — did you mean "textInput"?',
      'providers.premium.quality.brekaing: unknown key — did you mean "breaking"?',
      'providers.premium.maxCustomSize.height: Invalid input: expected number, received undefined',
      'providers.premium.maxCustomSize.heigth: unknown key — did you mean "height"?',
      'providers.comfy.nodes.prompt.input: Invalid input: expected string, received undefined',
      'providers.comfy.nodes.prompt.inputs: unknown key — did you mean "input"?',
    ]);
  });

  it('leaves the truly open maps open: provider names, webhook headers, Replicate inputs, ComfyUI nodes, house styles, aliases', () => {
    expect(() =>
      parseConfig({
        providers: {
          'any-name': { type: 'replicate', model: 'owner/model', extraInput: { output_format: 'png', go_fast: true } },
          comfy: {
            type: 'comfyui',
            workflow: { '6': { class_type: 'CLIPTextEncode', inputs: { text: '' }, _meta: { title: 'Prompt' } } },
            nodes: { prompt: { node: '6', input: 'text' } },
          },
        },
        tiers: { regular: { providers: ['any-name', 'comfy'] } },
        publisher: { type: 'webhook', url: 'https://cms.example/hook', headers: { 'X-Route': 'heroes' } },
        prompt: { houseStyles: { weather: { illustration: 'soft watercolour' } }, sectionAliases: { metro: 'local' } },
      }),
    ).not.toThrow();
  });

  it('names a tier provider that is not declared, with the nearest name', () => {
    expect(
      mistakes({
        providers: { 'openai-premium': { type: 'openai' } },
        tiers: { breaking: { providers: ['openai-premum', 'title-card'] } },
      }),
    ).toEqual(['tiers.breaking.providers[0]: "openai-premum" is not in providers — did you mean "openai-premium"?']);
  });

  it("lists every mistake of a file at once, one per line, with the source's other errors", () => {
    const lines = mistakes({
      relay: { allowedOrigin: [] },
      tiers: { regular: { minScore: 11 } },
      source: { ...AITABLE, datasheetId: 'nope', writeback: {} },
      storage: { type: 'disc' },
    });
    expect(lines).toEqual([
      'tiers.regular.minScore: Too big: expected number to be <=10',
      'relay.allowedOrigin: unknown key — did you mean "allowedOrigins"?',
      'source.datasheetId: datasheet ids start with "dst"',
      'source.writeback: unknown key — did you mean "writeBack"?',
      'storage.type: unknown storage type "disc" — did you mean "disk"? (known: disk, r2)',
    ]);
  });
});

describe('nearestName', () => {
  const known = ['allowedOrigins', 'host', 'port', 'pollIntervalMs', 'publishSecretName', 'type'];
  it('finds case slips, single edits, swapped letters, prefixes and contained names', () => {
    expect(nearestName('allowedorigins', known)).toBe('allowedOrigins');
    expect(nearestName('allowedOrigin', known)).toBe('allowedOrigins');
    expect(nearestName('tpye', known)).toBe('type');
    expect(nearestName('poll', known)).toBe('pollIntervalMs');
    expect(nearestName('secretName', known)).toBe('publishSecretName');
    expect(nearestName('hostName', known)).toBe('host');
  });
  it('suggests nothing when nothing is close', () => {
    expect(nearestName('colour', known)).toBeUndefined();
    expect(nearestName('x', known)).toBeUndefined();
    expect(nearestName('name', known)).toBeUndefined();
    expect(nearestName('anything', [])).toBeUndefined();
  });
});

describe('tier deadline and upgrade policy (issue 11)', () => {
  it('default: breaking news has 60 s, and a late story upgrades to a candidate', () => {
    const config = parseConfig({});
    expect(config.tiers.breaking.deadlineSeconds).toBe(60);
    expect(config.tiers.regular.deadlineSeconds).toBe(900);
    expect(TIERS.map((tier) => config.tiers[tier].upgradePolicy)).toEqual(['candidate', 'candidate', 'candidate']);
    expect(parseConfig({ tiers: { breaking: { upgradePolicy: 'replace' } } }).tiers.breaking.upgradePolicy).toBe('replace');
  });

  it('a misspelt key or an unknown policy is an error naming the fix', () => {
    expect(mistakes({ tiers: { breaking: { upgradePolicyy: 'replace' } } })).toEqual([
      'tiers.breaking.upgradePolicyy: unknown key — did you mean "upgradePolicy"?',
    ]);
    const [line] = mistakes({ tiers: { breaking: { upgradePolicy: 'always' } } });
    expect(line).toMatch(/^tiers\.breaking\.upgradePolicy: .*candidate.*replace.*off/);
  });
});
