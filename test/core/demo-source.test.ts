// The embedded demo datasheet: seeded on first run, polled incrementally, appended atomically,
// and a broken file is a clear error that loses nothing once fixed.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoSource } from '../../electron/core/adapters/embedded/demo-source.ts';
import { tempDirs } from '../helpers/temp.ts';
import { readDemoSheet } from '../helpers/demo-sheet.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('demo datasheet source', () => {
  it('seeds a dozen stories, then returns only new or changed records', async () => {
    const path = join(dirs.make(), 'demo-datasheet.json');
    const source = new DemoSource(path);
    const first = await source.poll(null);
    expect(first.articles).toHaveLength(12);
    expect(first.articles.filter((a) => a.tier === 'breaking')).toHaveLength(2);
    expect((await source.poll(first.cursor)).articles).toEqual([]);

    const recordId = source.append({ headline: 'Pier lights restored', summary: '', section: 'Local', breaking: false });
    const sheet = readDemoSheet(path);
    sheet.records[0]!.fields.Headline = 'Water main repaired overnight';
    writeFileSync(path, JSON.stringify(sheet));
    const next = await source.poll(first.cursor);
    expect(next.articles.map((a) => a.recordId).sort()).toEqual([recordId, 'recDemo001'].sort());
  });

  it('does not read the file again while its size, time and inode are unchanged (an idle desk polls every second)', async () => {
    const path = join(dirs.make(), 'demo-datasheet.json');
    const source = new DemoSource(path);
    const at = new Date('2026-01-01T00:00:00Z');
    utimesSync(path, at, at);
    const first = await source.poll(null);
    // same length, same times, same inode: only a re-read would notice this is no longer JSON
    writeFileSync(path, 'x'.repeat(readFileSync(path).length));
    utimesSync(path, at, at);
    expect(await source.poll(first.cursor)).toEqual({ articles: [], rejected: [], cursor: first.cursor });
    // a new modification time is a change: read, and the broken file is reported
    utimesSync(path, new Date(at.getTime() + 1000), new Date(at.getTime() + 1000));
    await expect(source.poll(first.cursor)).rejects.toThrow(/is not readable JSON/);
  });

  it('reports a broken file clearly and picks up again once it is fixed', async () => {
    const path = join(dirs.make(), 'demo-datasheet.json');
    const source = new DemoSource(path);
    const first = await source.poll(null);
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, 40));
    await expect(source.poll(first.cursor)).rejects.toThrow(/is not readable JSON .*fix or delete it/);
    writeFileSync(path, JSON.stringify({ rows: [] }));
    await expect(source.poll(first.cursor)).rejects.toThrow(/must be \{"records": \[\.\.\.\]\}/);
    writeFileSync(path, good);
    expect((await source.poll(first.cursor)).articles).toEqual([]); // nothing lost, nothing doubled
  });

  it('rejects a malformed record once, with the reason, and keeps the others', async () => {
    const path = join(dirs.make(), 'demo-datasheet.json');
    writeFileSync(
      path,
      JSON.stringify({
        records: [
          { recordId: 'recA', fields: { Headline: '   ' } },
          { recordId: 'recB', fields: { Headline: 'Fine', Breaking: 'yes' } },
          { nope: 1 },
          { recordId: 'recC', fields: { Headline: 'Good one' } },
        ],
      }),
    );
    const source = new DemoSource(path);
    const result = await source.poll(null);
    expect(result.articles.map((a) => a.recordId)).toEqual(['recC']);
    expect(result.rejected.map((r) => r.recordId)).toEqual(['recA', 'recB', '#2']);
    expect(result.rejected[0]?.reason).toMatch(/Headline/);
    expect(result.rejected[1]?.reason).toMatch(/Breaking/);
    const again = await source.poll(result.cursor);
    expect(again.rejected).toEqual([]); // the same bad records are not reported on every poll
  });
});
