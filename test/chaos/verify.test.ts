// The chaos harness's verifier must be able to fail: made-up facts of a clean run pass, and each
// kind of damage (doubled delivery, stuck article, lost record, doubled upload, broken store)
// shows up in its own figure with the article it concerns.
import { describe, expect, it } from 'vitest';
import type { ArticleFacts, RecordFacts, VerifyInput } from '../../scripts/chaos/facts.ts';
import { keyOf } from '../../scripts/chaos/expected-fields.ts';
import { passed, summaryLine } from '../../scripts/chaos/report.ts';
import { verify } from '../../scripts/chaos/verify.ts';

const HERO_SHA = 'a'.repeat(64);

function published(id: string, version = 1): ArticleFacts {
  return {
    id,
    headline: `Story ${id}`,
    status: 'published',
    version,
    lastError: null,
    openJobs: [],
    image: { key: `originals/${id}.png`, heroKey: `heroes/h${id}/${id}-hero.webp`, score: 8, description: null, heroSha256: HERO_SHA },
    costUsd: 0.002,
  };
}

function recordFor(article: ArticleFacts, overrides: Partial<RecordFacts['cells']> = {}): RecordFacts {
  return {
    recordId: article.id,
    headline: article.headline,
    cells: {
      'Image status': 'Published',
      'Image URL': { text: `http://127.0.0.1:41000/media/${article.image?.heroKey ?? ''}`, title: '', favicon: '' },
      Score: 8,
      Cost: 0.002,
      ...overrides,
    },
    attachmentShas: [HERO_SHA],
  };
}

function cleanRun(): VerifyInput {
  const articles = [published('recA'), published('recB', 2)];
  return {
    articles,
    records: articles.map((a) => recordFor(a)),
    deliveries: [
      { articleId: 'recA', version: 1, kind: 'publish', seq: 1, epoch: 'e1', at: 1 },
      { articleId: 'recB', version: 1, kind: 'publish', seq: 2, epoch: 'e1', at: 2 },
      { articleId: 'recB', version: 2, kind: 'publish', seq: 3, epoch: 'e1', at: 3 },
    ],
    lateDeliveries: null,
    uploads: [
      {
        token: 't1',
        sha256: HERO_SHA,
        name: 'recA-hero.webp',
        at: 10,
        requestedAt: 10,
        referencedBy: ['recA'],
        answered: true,
        nextWriteAt: null,
      },
      {
        token: 't2',
        sha256: HERO_SHA,
        name: 'recB-hero.webp',
        at: 11,
        requestedAt: 11,
        referencedBy: ['recB'],
        answered: true,
        nextWriteAt: null,
      },
    ],
    killTimes: [],
    kills: 3,
    integrity: [{ name: 'hero-desk.db', result: 'ok', checked: true }],
  };
}

describe('chaos verifier', () => {
  it('passes a clean run with all figures zero', () => {
    const verdict = verify(cleanRun());
    expect(summaryLine(verdict)).toBe('articles 2, kills 3, lost 0, doubled deliveries 0, doubled write-backs 0, stuck 0, integrity ok');
    expect(passed(verdict)).toBe(true);
  });

  it('counts the same (article, version) delivered twice, even across epochs', () => {
    const input = cleanRun();
    input.deliveries.push({ articleId: 'recA', version: 1, kind: 'publish', seq: 1, epoch: 'e2', at: 9 });
    const verdict = verify(input);
    expect(verdict.doubledDeliveries).toHaveLength(1);
    expect(verdict.doubledDeliveries[0]?.subject).toContain('recA v1');
    expect(verdict.doubledDeliveries[0]?.why[0]).toContain('2 times');
    expect(passed(verdict)).toBe(false);
  });

  it('counts an article left in publishing without a job, and one that never finished', () => {
    const input = cleanRun();
    const stuck = { ...published('recC'), status: 'publishing', openJobs: [] };
    const waiting = { ...published('recD'), status: 'approved', openJobs: ['publish:queued, 40 attempts, last error: fetch failed'] };
    input.articles.push(stuck, waiting);
    input.records.push(recordFor(stuck, { 'Image status': 'Approved' }), recordFor(waiting, { 'Image status': 'Approved' }));
    const verdict = verify(input);
    expect(verdict.stuck.map((f) => f.subject.split(' ')[0])).toEqual(['recC', 'recD']);
    expect(verdict.stuck[0]?.why).toContain('publishing without an open job');
    expect(verdict.stuck[1]?.why.join(' ')).toContain('fetch failed');
    expect(summaryLine(verdict)).toContain('stuck 2');
  });

  it('counts a record without a row, a publication the reader never got, and AITable fields that lag behind', () => {
    const input = cleanRun();
    input.records.push({ recordId: 'recNew', headline: 'Never ingested', cells: {}, attachmentShas: [] });
    input.deliveries = input.deliveries.filter((d) => !(d.articleId === 'recB' && d.version === 2));
    input.records[0] = recordFor(published('recA'), { 'Image status': 'Approved' });
    const verdict = verify(input);
    const why = Object.fromEntries(verdict.lost.map((f) => [f.subject.split(' ')[0] ?? '', f.why.join(' | ')]));
    expect(why.recNew).toContain('never got a row');
    expect(why.recB).toContain('published v2 never reached the reader (it got v1)');
    expect(why.recA).toContain('Image status is "Approved"');
    expect(verdict.lost).toHaveLength(3);
  });

  it('counts a publication that a reader connecting at the end is not given', () => {
    const input = cleanRun();
    input.lateDeliveries = [{ articleId: 'recB', version: 2, kind: 'publish', seq: 1, epoch: 'e9', at: 5 }];
    const verdict = verify(input);
    expect(verdict.lost.map((f) => f.subject.split(' ')[0])).toEqual(['recA']);
    expect(verdict.lost[0]?.why[0]).toContain('connecting at the end');
  });

  it('counts the same image uploaded twice to a record and two files in its cell, but excuses an upload cut off by a kill', () => {
    const input = cleanRun();
    input.uploads.push({
      token: 't3',
      sha256: HERO_SHA,
      name: 'recA-hero.webp',
      at: 20,
      requestedAt: 20,
      referencedBy: ['recA'],
      answered: true,
      nextWriteAt: null,
    });
    input.records[1] = { ...recordFor(published('recB', 2)), attachmentShas: [HERO_SHA, HERO_SHA] };
    input.uploads.push({
      token: 't4',
      sha256: HERO_SHA,
      name: 'recB-hero.webp',
      at: 30,
      requestedAt: 30,
      referencedBy: [],
      answered: true,
      nextWriteAt: null,
    });
    input.killTimes.push(500);
    const verdict = verify(input);
    expect(verdict.doubledWriteBacks.map((f) => f.subject.split(' ')[0]).sort()).toEqual(['recA', 'recB']);
    expect(verdict.doubledWriteBacks.find((f) => f.subject.startsWith('recA'))?.why[0]).toContain('uploaded 2 times');
    expect(verdict.notes.join(' ')).toContain('t4');
  });

  it('counts an unused upload once Hero Desk wrote again after it (it had the token), excuses one it was killed before using', () => {
    const input = cleanRun();
    // answered at 40, Hero Desk wrote again at 45, killed only at 90: the token was kept and a second upload followed
    input.uploads.push({
      token: 't5',
      sha256: HERO_SHA,
      name: 'recA-hero.webp',
      at: 40,
      requestedAt: 40,
      referencedBy: [],
      answered: true,
      nextWriteAt: 45,
    });
    // answered at 60 and killed at 61 before its next write at 70: the answer may never have been read
    input.uploads.push({
      token: 't6',
      sha256: HERO_SHA,
      name: 'recB-hero.webp',
      at: 60,
      requestedAt: 60,
      referencedBy: [],
      answered: true,
      nextWriteAt: 70,
    });
    input.killTimes.push(61, 90);
    const verdict = verify(input);
    expect(verdict.doubledWriteBacks.map((f) => f.subject.split(' ')[0])).toEqual(['recA']);
    expect(verdict.notes.join(' ')).toContain('t6');
  });

  it('excuses an upload held until Hero Desk was killed and applied after it (its answer went to a dead process)', () => {
    const input = cleanRun();
    // sent at 100, killed at 101, AITable stored the bytes at 103 and answered 200 to nobody; the next
    // process uploaded again (the clean run's t1) and used that one
    input.uploads.push({
      token: 't7',
      sha256: HERO_SHA,
      name: 'recA-hero.webp',
      at: 103,
      requestedAt: 100,
      referencedBy: [],
      answered: true,
      nextWriteAt: 150,
    });
    input.killTimes.push(101);
    const verdict = verify(input);
    expect(verdict.doubledWriteBacks).toEqual([]);
    expect(verdict.notes.join(' ')).toContain('t7');
  });

  it('fails integrity when a store reports damage', () => {
    const input = cleanRun();
    input.integrity.push({ name: 'relay data file', result: '*** in database main *** Page 3 is never used', checked: true });
    const verdict = verify(input);
    expect(verdict.integrityOk).toBe(false);
    expect(summaryLine(verdict)).toMatch(/integrity FAILED$/);
  });

  it('compares image URLs by storage key, whatever the media port', () => {
    expect(keyOf('http://127.0.0.1:4781/media/heroes/abc/rec1-hero.webp')).toBe('heroes/abc/rec1-hero.webp');
    expect(keyOf('heroes/abc/rec1-hero.webp')).toBe('heroes/abc/rec1-hero.webp');
  });
});
