// The allow-list main checks the core process's key requests against: the keys a config names,
// defaults included, worked out without building an adapter.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../electron/core/settings/config-load.ts';
import { configSecretNames } from '../../electron/core/settings/secret-names.ts';

describe('configSecretNames', () => {
  it('names only the bundled relay key for the default (demo) config', () => {
    expect(configSecretNames(parseConfig({}))).toEqual(['relay-publish']);
  });

  it('finds every adapter key, defaults included, and ignores a disabled AITable webhook', () => {
    const config = parseConfig({
      providers: {
        dalle: { type: 'openai', model: 'gpt-image-1', concurrency: 2 },
        rep: { type: 'replicate', model: 'owner/model', apiTokenSecret: 'rep-token' },
      },
      scorers: [{ type: 'local' }, { type: 'openai-vision', apiKeySecret: 'vision-key' }],
      source: { type: 'aitable', datasheetId: 'dstABCDEFGHIJ', tokenSecret: 'aitable-token', webhook: { enabled: false } },
      storage: { type: 'r2', bucket: 'heroes', publicBaseUrl: 'https://img.example', accountId: 'acct' },
      publisher: { type: 'webhook', url: 'https://example.com/hook', signingSecret: 'hook-key' },
    });
    expect(configSecretNames(config)).toEqual([
      'aitable-token',
      'hook-key',
      'openai',
      'r2AccessKeyId',
      'r2SecretAccessKey',
      'rep-token',
      'vision-key',
    ]);
  });

  it('adds the AITable webhook secret when the webhook is on', () => {
    const config = parseConfig({ source: { type: 'aitable', datasheetId: 'dstABCDEFGHIJ', webhook: { enabled: true } } });
    expect(configSecretNames(config)).toContain('aitable-webhook');
  });
});
