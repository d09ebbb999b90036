// The relay's history setting, checked by hand (no zod in the relay process): a bad setting stops the
// relay at start with a message that says what is wrong and never repeats the URL (it holds a password).
import { describe, expect, it } from 'vitest';
import { checkHistoryConfig } from '../../electron/core/relay/relay-hub.ts';
import { runStandaloneRelay } from '../../electron/core/relay/standalone.ts';
import { SECRET } from './helpers.ts';

describe('relay history config', () => {
  it('keeps the SQLite data file when unset and accepts a postgres URL', () => {
    expect(checkHistoryConfig(undefined)).toBeUndefined();
    expect(checkHistoryConfig({ type: 'postgres', url: 'postgresql://u:p@db/x', schema: 'news' })).toEqual({
      type: 'postgres',
      url: 'postgresql://u:p@db/x',
      schema: 'news',
      pollMs: undefined,
    });
  });

  it.each([
    [null, /type must be "postgres"/],
    [{ type: 'mysql', url: 'postgres://u:p@db/x' }, /type must be "postgres"/],
    [{ type: 'postgres', url: 'mysql://u:hunter2@db/x' }, /url must be a postgres/],
    [{ type: 'postgres', url: 'postgres://u:hunter2@db/x', schema: 'Bad-Name' }, /schema must be/],
    [{ type: 'postgres', url: 'postgres://u:hunter2@db/x', pollMs: 1 }, /pollMs must be/],
  ])('refuses %j without echoing the URL', (value, message) => {
    expect(() => checkHistoryConfig(value)).toThrow(message);
    expect(() => checkHistoryConfig(value)).not.toThrow(/hunter2/);
  });

  it('hero-desk relay --history-url-env names a variable that must be set', async () => {
    await expect(
      runStandaloneRelay({ env: { HERO_DESK_RELAY_SECRET: SECRET }, historyUrlEnv: 'RELAY_DB_URL', handleSignals: false, port: 0 }),
    ).rejects.toThrow('set the history URL in the RELAY_DB_URL environment variable');
  });
});
