import { describe, expect, it } from 'vitest';
import { buildApi, CommandError, commands, COMMAND_NAMES, EventSchema, isCommandName, type DispatchResult } from '../../shared/contract.ts';
import { CardSchema } from '../../shared/domain.ts';

const card = {
  articleId: 'rec1',
  headline: 'H',
  summary: '',
  section: 'Local',
  storyType: null,
  breaking: false,
  tier: 'regular',
  policy: null,
  stale: false,
  status: 'generated',
  prompt: 'p',
  promptOverride: null,
  image: null,
  score: 8,
  scoreReason: 'ok',
  flags: [],
  costUsd: 0,
  attempts: 1,
  history: [],
  altText: null,
  lastError: null,
  canRetryPublication: false,
  version: 0,
  deadlineAt: null,
  createdAt: 1,
  updatedAt: 1,
};

describe('shared contract', () => {
  it('validates command inputs and applies defaults', () => {
    expect(commands.approve.input.safeParse({ articleId: 'rec1' }).success).toBe(true);
    expect(commands.approve.input.safeParse({ articleId: '' }).success).toBe(false);
    expect(commands.regenerate.input.safeParse({ articleId: 'rec1', prompt: 'x'.repeat(4001) }).success).toBe(false);
    expect(commands.setPrompt.input.parse({ articleId: 'rec1', prompt: null })).toEqual({ articleId: 'rec1', prompt: null });
    expect(commands.addDemoArticle.input.parse({ headline: 'Hi' })).toEqual({
      headline: 'Hi',
      summary: '',
      section: 'Local',
      breaking: false,
    });
  });

  it('validates events and rejects unknown shapes', () => {
    expect(EventSchema.safeParse({ type: 'card', seq: 3, card }).success).toBe(true);
    expect(EventSchema.safeParse({ type: 'card', seq: 3, card: { ...card, status: 'lost' } }).success).toBe(false);
    expect(EventSchema.safeParse({ type: 'notice', seq: 1, level: 'warn', message: 'm', articleId: null }).success).toBe(true);
    expect(EventSchema.safeParse({ type: 'gossip', seq: 1 }).success).toBe(false);
    expect(CardSchema.safeParse({ ...card, flags: ['not_a_flag'] }).success).toBe(false);
  });

  it('knows its command names', () => {
    expect(isCommandName('approve')).toBe(true);
    expect(isCommandName('toString')).toBe(false);
    expect(COMMAND_NAMES).toContain('snapshot');
  });

  it('builds one verb per command over any call function', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(
      async (name, input) => {
        calls.push([name, input]);
        return { ok: true };
      },
      () => () => undefined,
    );
    for (const name of COMMAND_NAMES) expect(typeof api[name]).toBe('function');
    await api.approve({ articleId: 'rec1' });
    expect(calls).toEqual([['approve', { articleId: 'rec1' }]]);
  });

  it('carries errors as a typed body that clients rethrow', () => {
    const result: DispatchResult = {
      ok: false,
      error: { code: 'illegal_transition', message: 'illegal status transition pending → published' },
    };
    const error = new CommandError(result.ok ? { code: 'internal', message: '' } : result.error);
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toContain('pending → published');
  });
});
