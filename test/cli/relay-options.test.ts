// `hero-desk relay` checks its options by hand (electron/cli/relay.ts) so its process never loads zod.
import { describe, expect, it } from 'vitest';
import { parseRelayOptions } from '../../electron/cli/relay.ts';
import { OptionsError } from '../../electron/cli/cli-errors.ts';

const given = { host: '127.0.0.1', dataFile: 'relay.sqlite', secretEnv: 'HERO_DESK_RELAY_SECRET', allowOrigin: [] };

describe('parseRelayOptions', () => {
  it('passes what commander parsed', () => {
    expect(parseRelayOptions({ ...given, port: 0, allowOrigin: ['https://news.example'] })).toEqual({
      ...given,
      port: 0,
      allowOrigin: ['https://news.example'],
    });
  });

  it('names the flag and the help command for a bad value', () => {
    expect(() => parseRelayOptions({ ...given, secretEnv: 'not a name' })).toThrow(OptionsError);
    expect(() => parseRelayOptions({ ...given, secretEnv: 'not a name' })).toThrow(
      '--secret-env must be an environment variable name (letters, digits, _) (see hero-desk relay --help)',
    );
    expect(() => parseRelayOptions({ ...given, dataFile: '' })).toThrow(/^--data-file must not be empty/);
    expect(() => parseRelayOptions({ ...given, port: 70_000 })).toThrow(/^--port/);
  });

  it('carries the shared-history options through, and names a bad one', () => {
    expect(parseRelayOptions({ ...given, historyUrlEnv: 'RELAY_PG_URL', historySchema: 'relay_a' })).toEqual({
      ...given,
      port: undefined,
      historyUrlEnv: 'RELAY_PG_URL',
      historySchema: 'relay_a',
    });
    expect(() => parseRelayOptions({ ...given, historyUrlEnv: 'postgres://x' })).toThrow(
      /^--history-url-env must be an environment variable name/,
    );
    expect(() => parseRelayOptions({ ...given, historySchema: 'Relay-A' })).toThrow(/^--history-schema must be lower-case/);
  });
});
