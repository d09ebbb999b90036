// The chaos harness's Hero Desk config must stay valid as the strict schema evolves (chaos:ci is
// not in the test chain, so this is the early warning).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../electron/core/settings/config-load.ts';
import { writeConfig } from '../../scripts/chaos/hero-desk.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('chaos harness config', () => {
  it('parses strictly: AITable with full write-back, the AUTOMATIC1111 fake, local scorer, disk, external relay', () => {
    const path = join(dirs.make(), 'hero-desk.config.json');
    writeConfig(path, {
      aitableBaseUrl: 'http://127.0.0.1:1/fusion/v1',
      datasheetId: 'dstFakeNews0001',
      a1111Url: 'http://127.0.0.1:2',
      relayUrl: 'http://127.0.0.1:3',
    });
    const config = parseConfig(JSON.parse(readFileSync(path, 'utf8')));
    expect(config.source).toMatchObject({
      type: 'aitable',
      writeBack: { enabled: true, fields: { imageAttachment: 'Image', score: 'Score', cost: 'Cost', altText: 'Alt text' } },
    });
    expect(config.publisher).toMatchObject({ type: 'external-relay', publishSecretName: 'relay' });
    expect(config.tiers.regular.providers).toEqual(['newsroom-sd']);
    expect(config.leaseSeconds).toBe(2);
  });
});
