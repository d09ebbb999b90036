import { afterEach, describe, expect, it } from 'vitest';
import { AitableConfigSchema, checkFields, createAitableSource, mapRecord } from '../../electron/core/adapters/aitable/index.ts';
import type { AitableConfigInput } from '../../electron/core/adapters/aitable/index.ts';
import { DEFAULT_FIELDS } from './fake-fusion-server.ts';
import { article, configFor, fakeServers, secrets } from './helpers.ts';
import { stringContaining } from '../helpers/matchers.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

function config(overrides: Partial<AitableConfigInput> = {}) {
  return AitableConfigSchema.parse({ datasheetId: 'dstNews', ...overrides });
}

const record = (fields: Record<string, unknown>) => ({ recordId: 'recAbc123', createdAt: 1_700_000_000_000, fields });

describe('field mapping and routing', () => {
  it('maps a record to an article, reading select, URL-object and multi-select cells as text', () => {
    const cfg = config({ mapping: { storyType: 'Type', promptOverride: 'Prompt' } });
    const mapped = mapRecord(
      record({
        Headline: ' Flood ',
        Summary: 'Water rises',
        Section: ['Local', 'Weather'],
        Type: 'news',
        Prompt: { text: 'rain over roofs', title: 'x' },
      }),
      cfg,
    );
    expect(mapped).toMatchObject({
      kind: 'article',
      article: {
        recordId: 'recAbc123',
        headline: 'Flood',
        section: 'Local, Weather',
        storyType: 'news',
        promptOverride: 'rain over roofs',
        breaking: false,
        tier: 'regular',
      },
    });
  });

  it('reads a mapped embargo from a DateTime timestamp or ISO text; an unreadable one rejects the record with the fix', () => {
    const cfg = config({ mapping: { embargo: 'Embargo' } });
    const embargo = (value: unknown) => {
      const m = mapRecord(record({ Headline: 'H', Embargo: value }), cfg);
      return m.kind === 'article' ? m.article.embargoUntil : m.rejected.reason;
    };
    expect(embargo(1_796_212_800_000)).toBe(1_796_212_800_000);
    expect(embargo('2026-12-02T14:00:00Z')).toBe(Date.parse('2026-12-02T14:00:00Z'));
    expect(embargo(null)).toBeNull();
    expect(embargo('')).toBeNull();
    expect(embargo('after lunch')).toMatch(
      /embargo field "Embargo" holds "after lunch", not a date and time: use a DateTime field or ISO 8601/,
    );
    // unmapped: the source says nothing, so an embargo set on the board stays
    const unmapped = mapRecord(record({ Headline: 'H', Embargo: 1 }), config());
    expect(unmapped.kind === 'article' && 'embargoUntil' in unmapped.article).toBe(false);
  });

  it('routes by rules in order, then the breaking flag, then the default tier', () => {
    const cfg = config({
      mapping: { breaking: { field: 'Priority', in: ['P0', 'Urgent'] } },
      routing: [
        { field: 'Section', equals: 'Obituaries', tier: 'default' },
        { field: 'Priority', in: ['P0'], tier: 'breaking' },
        { field: 'Sponsored', truthy: true, tier: 'default' },
      ],
      defaultTier: 'regular',
    });
    const tier = (fields: Record<string, unknown>) => {
      const m = mapRecord(record({ Headline: 'H', ...fields }), cfg);
      return m.kind === 'article' ? [m.article.tier, m.article.breaking] : m.rejected.reason;
    };
    expect(tier({ Section: 'obituaries', Priority: 'P0' })).toEqual(['default', true]); // first match wins
    expect(tier({ Priority: 'P0' })).toEqual(['breaking', true]);
    expect(tier({ Priority: 'urgent' })).toEqual(['breaking', true]); // via breakingTier
    expect(tier({ Sponsored: true })).toEqual(['default', false]);
    expect(tier({ Priority: 'P3' })).toEqual(['regular', false]);
  });

  it('reads "false", "No", "0" and similar in a text or select Breaking field as not breaking', () => {
    const cfg = config({ mapping: { breaking: 'Breaking' } });
    const breaking = (value: unknown) => {
      const m = mapRecord(record({ Headline: 'H', Breaking: value }), cfg);
      return m.kind === 'article' && m.article.breaking;
    };
    for (const no of ['false', 'No', 'NO ', '0', 'off', 'n', '', ['No'], { text: 'false' }])
      expect(breaking(no), JSON.stringify(no)).toBe(false);
    for (const yes of [true, 'Yes', 'true', '1', 'Breaking', ['Yes'], 1]) expect(breaking(yes), JSON.stringify(yes)).toBe(true);
  });

  it('treats an absent checkbox as false (the API omits unchecked ones)', () => {
    const cfg = config({ routing: [{ field: 'Breaking', equals: false, tier: 'default' }] });
    const m = mapRecord(record({ Headline: 'Quiet day' }), cfg);
    expect(m.kind === 'article' && m.article.tier).toBe('default');
  });

  it('rejects malformed records with a reason instead of throwing', () => {
    const cfg = config();
    expect(mapRecord(record({ Summary: 'x' }), cfg)).toMatchObject({
      kind: 'rejected',
      rejected: { reason: 'headline field "Headline" is empty' },
    });
    expect(mapRecord(record({ Headline: 'x'.repeat(501) }), cfg)).toMatchObject({
      rejected: { reason: 'headline is 501 characters (max 500)' },
    });
    expect(mapRecord(record({ Headline: 'ok', Section: { nested: 1 } }), cfg)).toMatchObject({
      rejected: { reason: 'field "Section" holds object, expected text' },
    });
    expect(mapRecord({ recordId: 'recBad12', fields: 'nope' }, cfg)).toMatchObject({ rejected: { recordId: 'recBad12' } });
    expect(mapRecord(null, cfg)).toMatchObject({ rejected: { recordId: 'unknown' } });
  });

  it('rejects a bad routing rule in config', () => {
    expect(() => config({ routing: [{ field: 'X', tier: 'breaking' }] })).toThrow(/exactly one of equals, in, truthy/);
  });
});

describe('start-up field check', () => {
  const fields = DEFAULT_FIELDS.map((f) => ({ editable: f.type !== 'CreatedTime', ...f }));

  it('passes for a mapping that fits the datasheet', () => {
    expect(
      checkFields(
        fields,
        config({ writeBack: { enabled: true, fields: { imageAttachment: 'Image', score: 'Score', cost: 'Cost', altText: 'Alt text' } } }),
      ),
    ).toEqual([]);
  });

  it('names every missing, mistyped, non-editable or wrongly keyed field', () => {
    const cfg = config({
      mapping: { headline: 'Title', section: 'Breaking', storyType: 'fldStoryType1' },
      writeBack: { enabled: true, fields: { status: 'Created', imageUrl: 'Image URL', score: 'Alt text' } },
    });
    expect(checkFields(fields, cfg)).toEqual([
      'headline: no field "Title" in datasheet',
      'section: field "Breaking" is Checkbox, expected SingleText or Text or Formula or LookUp or SingleSelect or MultiSelect',
      'storyType: "fldStoryType1" is a field id, but fieldKey is "name" (use "Story type")',
      'writeBack.status: field "Created" is CreatedTime, expected SingleSelect or SingleText or Text',
      'writeBack.score: field "Alt text" is Text, expected Number or Rating',
    ]);
  });

  it('check() reads the real field list and throws a clear error', async () => {
    const fake = await servers.start({ views: [{ id: 'viwNewsDesk01', name: 'Desk', hiddenFieldIds: ['fldSummary001'] }] });
    fake.addRecord(article('Any'));
    await expect(createAitableSource(configFor(fake), { secrets }).check()).resolves.toBeUndefined();
    const hidden = createAitableSource(configFor(fake, { viewId: 'viwNewsDesk01' }), { secrets });
    await expect(hidden.check()).rejects.toThrow(
      /summary: no field "Summary" in datasheet view viwNewsDesk01 \(hidden columns count as missing\)/,
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/fields'))).toHaveLength(2);
  });

  it('check() surfaces a formula the server cannot parse', async () => {
    const fake = await servers.start();
    const source = createAitableSource(configFor(fake), { secrets });
    fake.inject({ code: 400, message: 'The formula is wrong', match: (r) => r.path.endsWith('/records') });
    await expect(source.check()).rejects.toMatchObject({ kind: 'bad_request', message: stringContaining('The formula is wrong') });
  });
});
