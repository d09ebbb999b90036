// Every command of the contract, run by the real core on the embedded demo defaults, answers with
// exactly what its output schema declares: each value parses and nothing is dropped by parsing (a
// field the contract does not list would be). The handlers are typed with CommandOutput<K>; this is
// the same promise checked at run time, on the values a board really receives.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  CommandErrorSchema,
  commands,
  type CommandInput,
  type CommandName,
  type CommandOutput,
} from '../../shared/contract.ts';
import { OPERATOR } from '../../shared/roles.ts';
import { createHeadlessSecretStore } from '../../electron/core/adapters/secrets.ts';
import { coreHarness, waitForStatus } from '../drawer/harness.ts';
import { waitFor } from '../helpers/temp.ts';

const harness = coreHarness();
afterEach(() => harness.cleanup());

/**
 * Commands whose success path the demo core cannot reach, each with why; their refusal must still be
 * the contract's error shape.
 */
const REFUSED_HERE: Partial<Record<CommandName, string>> = {
  retryPublication: 'needs a publication that failed for good (test/core/publish-faults.test.ts drives that one)',
};

describe('command outputs against the contract', () => {
  it('every handler answers with a value its output schema parses unchanged', async () => {
    // one key in use (a premium provider that is never reached; breaking stories fall back to title cards)
    const config = {
      providers: { premium: { type: 'openai', baseURL: 'http://127.0.0.1:9/v1' } },
      tiers: { breaking: { providers: ['premium', 'title-card'] } },
    };
    const dataDir = harness.dirs.make();
    const core = await harness.boot({ config, secrets: createHeadlessSecretStore(dataDir, {}) });
    const checked = new Set<CommandName>();
    async function run<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      const result = await core.dispatch(name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
      const parsed = commands[name].output.safeParse(result.value);
      expect(parsed.error?.issues ?? [], `${name}'s output`).toEqual([]);
      expect(parsed.data, `${name}'s output has only the contract's fields`).toEqual(result.value);
      checked.add(name);
      return result.value as CommandOutput<K>;
    }
    const ready = (id: string) => waitForStatus(core, id, 'generated');

    // reads
    await ready('recDemo003');
    await run('snapshot', {});
    await run('appInfo', {});
    await run('queueState', {});
    await run('ledger', {});
    await run('secrets', {});
    await run('audit', {});
    await run('olderCards', { column: 'published', before: { updatedAt: Date.now(), articleId: 'zzz' } });
    const settings = await run('settings', {});
    await run('validateSettings', { draft: {} });
    await run('checkSourceFields', { draft: {} });
    await run('saveSettings', { draft: {}, baseRevision: settings.revision });

    // the queue: a story added while every lane is paused waits there, and can be moved to the front
    await run('pause', {});
    await run('pause', { lane: 'regular' });
    const { recordId } = await run('addDemoArticle', { headline: 'Harbour ferry timetable changes on Monday' });
    await run('checkNow', {});
    await waitFor(async () => (await run('queueState', {})).lanes.some((lane) => lane.queued > 0), 10_000, 'a queued job');
    await run('prioritise', { articleId: recordId });
    await run('resume', { lane: 'regular' });
    await run('resume', {});

    // the drawer on one story
    const detail = await run('cardDetail', { articleId: 'recDemo003' });
    const imageId = detail.candidates[0]!.imageId;
    await run('setImageDetails', { articleId: 'recDemo003', imageId, altText: 'The central library at dusk' });
    await run('chooseCandidate', { articleId: 'recDemo003', imageId });
    await run('setPrompt', { articleId: 'recDemo003', prompt: 'A library reading room at night' });
    const photo = await sharp({ create: { width: 1200, height: 675, channels: 3, background: '#2050a0' } })
      .jpeg()
      .toBuffer();
    await run('uploadImage', {
      articleId: 'recDemo003',
      fileName: 'library.jpg',
      dataBase64: photo.toString('base64'),
      credit: 'Desk photo',
    });

    // decisions: approve, take it back, approve and send at once, retract
    await run('approve', { articleId: 'recDemo003' });
    await run('undoApprove', { articleId: 'recDemo003' });
    await run('approve', { articleId: 'recDemo003' });
    await run('publishNow', { articleId: 'recDemo003' });
    await waitForStatus(core, 'recDemo003', 'published');
    await run('retract', { articleId: 'recDemo003', reason: 'wrong building' });

    await ready('recDemo005');
    await run('setEmbargo', { articleId: 'recDemo005', publishAt: Date.now() + 3_600_000 });
    await run('setEmbargo', { articleId: 'recDemo005', publishAt: null });
    await run('reject', { articleId: 'recDemo005', reason: 'off topic' });
    await run('regenerate', { articleId: 'recDemo005' });
    await ready('recDemo006');
    await run('bulk', { action: 'reject', articleIds: ['recDemo006'], reason: 'not today' });

    await run('dismissProblem', { id: 'no-such-problem' });
    await run('setSecret', { name: 'openai', value: 'sk-test-not-real' });
    core.presence!.join('session-output-test', OPERATOR);
    await run('setPresence', { session: 'session-output-test', viewing: 'recDemo005', editing: null });
    // first-run setup, last: a datasheet it cannot read is refused before anything is written
    const setup = await run('setupSolo', {
      setup: {
        datasheet: 'not a datasheet link',
        aitableToken: 'usk-test-not-real',
        images: { type: 'title-card' },
        storage: { type: 'disk' },
        publisher: { type: 'relay' },
      },
      baseRevision: (await run('settings', {})).revision,
    });
    expect(setup.status).toBe('invalid');

    for (const [name, why] of Object.entries(REFUSED_HERE) as [CommandName, string][]) {
      const result = await core.dispatch(name, { articleId: 'recDemo005' });
      expect(result.ok, `${name} (${why})`).toBe(false);
      if (!result.ok) expect(CommandErrorSchema.parse(result.error)).toEqual(result.error);
    }
    const unchecked = COMMAND_NAMES.filter((name) => !checked.has(name) && !(name in REFUSED_HERE));
    expect(unchecked, 'every command of the contract is run here').toEqual([]);
  }, 90_000);
});
