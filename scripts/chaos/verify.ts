// The verdict: from the facts of a finished run, which articles were lost, delivered twice,
// written back twice or left stuck, and whether the stores are intact. Pure, so it can be tested
// with made-up facts (test/chaos/verify.test.ts).
import { fieldMismatches } from './expected-fields.ts';
import type { ArticleFacts, Finding, UploadFacts, Verdict, VerifyInput } from './facts.ts';

const TRANSIENT = new Set(['generating', 'scoring', 'publishing']);

class Findings {
  private readonly bySubject = new Map<string, string[]>();
  add(subject: string, why: string): void {
    const list = this.bySubject.get(subject) ?? [];
    list.push(why);
    this.bySubject.set(subject, list);
  }
  list(): Finding[] {
    return [...this.bySubject].map(([subject, why]) => ({ subject, why }));
  }
}

const label = (a: { id: string; headline: string }) => `${a.id} “${a.headline}”`;

export function verify(input: VerifyInput): Verdict {
  const articles = new Map(input.articles.map((a) => [a.id, a]));
  const lost = new Findings();
  const stuck = new Findings();
  const doubledDeliveries = new Findings();
  const doubledWriteBacks = new Findings();
  const notes: string[] = [];

  // deliveries per (article, version, kind)
  const delivered = new Map<string, { seq: number; epoch: string | null }[]>();
  for (const d of input.deliveries) {
    const key = `${d.articleId} v${d.version}${d.kind === 'publish' ? '' : ` (${d.kind})`}`;
    delivered.set(key, [...(delivered.get(key) ?? []), { seq: d.seq, epoch: d.epoch }]);
  }
  for (const [key, copies] of delivered) {
    if (copies.length > 1) {
      const headline = articles.get(key.split(' ')[0] ?? '')?.headline;
      doubledDeliveries.add(
        `${key}${headline ? ` “${headline}”` : ''}`,
        `delivered ${copies.length} times to the reader (${copies.map((c) => `seq ${c.seq} epoch ${c.epoch ?? '?'}`).join(', ')})`,
      );
    }
  }

  for (const record of input.records) {
    const article = articles.get(record.recordId);
    if (!article) {
      lost.add(label({ id: record.recordId, headline: record.headline }), 'in AITable but never got a row in hero-desk.db');
      continue;
    }
    judgeArticle(article, record, input, lost, stuck);
    if (record.attachmentShas.length > 1) {
      doubledWriteBacks.add(label(article), `${record.attachmentShas.length} files in the attachment cell (one expected)`);
    }
  }
  for (const article of input.articles) {
    if (!input.records.some((r) => r.recordId === article.id)) notes.push(`${label(article)} has a row but no AITable record (deleted?)`);
  }

  judgeUploads(input, articles, doubledWriteBacks, notes);

  const integrity = input.integrity.filter((i) => i.checked && i.result !== 'ok').map((i) => ({ subject: i.name, why: [i.result] }));
  for (const i of input.integrity) if (!i.checked) notes.push(`${i.name}: ${i.result}`);
  return {
    articles: input.records.length,
    kills: input.kills,
    lost: lost.list(),
    doubledDeliveries: doubledDeliveries.list(),
    doubledWriteBacks: doubledWriteBacks.list(),
    stuck: stuck.list(),
    integrityOk: integrity.length === 0,
    integrity,
    notes,
  };
}

function judgeArticle(
  article: ArticleFacts,
  record: VerifyInput['records'][number],
  input: VerifyInput,
  lost: Findings,
  stuck: Findings,
): void {
  const subject = label(article);
  if (TRANSIENT.has(article.status) && article.openJobs.length === 0) stuck.add(subject, `${article.status} without an open job`);
  if (article.status !== 'published') {
    const jobs = article.openJobs.length > 0 ? `; open jobs: ${article.openJobs.join(', ')}` : '';
    stuck.add(subject, `not finished: ${article.status}${article.lastError ? ` (last error: ${article.lastError})` : ''}${jobs}`);
  } else {
    const got = input.deliveries.filter((d) => d.articleId === article.id && d.kind === 'publish');
    if (!got.some((d) => d.version === article.version)) {
      const versions =
        got.length > 0 ? `it got v${[...new Set(got.map((d) => d.version))].join(', v')}` : 'it got nothing for this article';
      lost.add(subject, `published v${article.version} never reached the reader (${versions})`);
    }
    const late = input.lateDeliveries;
    if (typeof late === 'string') lost.add(subject, `a reader connecting at the end got nothing: ${late}`);
    else if (late && !late.some((d) => d.articleId === article.id && d.version === article.version && d.kind === 'publish')) {
      lost.add(subject, `a reader connecting at the end (since=0) was not given v${article.version}: the relay no longer holds it`);
    }
    if (article.image && article.image.heroSha256 === null) lost.add(subject, 'the published hero image is missing from storage');
  }
  for (const mismatch of fieldMismatches(article, record)) lost.add(subject, `AITable: ${mismatch}`);
}

/** More than one completed upload of the same bytes for one record. */
function judgeUploads(input: VerifyInput, articles: Map<string, ArticleFacts>, doubled: Findings, notes: string[]): void {
  const perRecord = new Map<string, UploadFacts[]>();
  for (const upload of input.uploads) {
    let owners = upload.referencedBy;
    if (owners.length === 0) {
      const byName = input.records.filter((r) => upload.name.includes(r.recordId)).map((r) => r.recordId);
      // killed between sending it and its next write: Hero Desk may not have kept the token (the answer can go
      // to a dead socket, or sit unread for seconds on a loaded machine); a write after it proves the token was
      // kept, so a second upload then is a fault
      const excused =
        !upload.answered ||
        input.killTimes.some((t) => t >= upload.requestedAt && (upload.nextWriteAt === null || t <= upload.nextWriteAt));
      if (excused) {
        notes.push(
          `upload ${upload.token} (${upload.name}) never reached a write: ${upload.answered ? 'Hero Desk was killed right after it' : 'its answer was cut off or lost'}`,
        );
        continue;
      }
      owners = byName;
      if (owners.length === 0) notes.push(`upload ${upload.token} (${upload.name}) belongs to no record`);
    }
    for (const owner of new Set(owners)) perRecord.set(owner, [...(perRecord.get(owner) ?? []), upload]);
  }
  for (const [recordId, uploads] of perRecord) {
    const bySha = new Map<string, UploadFacts[]>();
    for (const u of uploads) bySha.set(u.sha256, [...(bySha.get(u.sha256) ?? []), u]);
    for (const [sha, same] of bySha) {
      if (same.length < 2) continue;
      const unreferenced = same.filter((u) => u.referencedBy.length === 0).length;
      const article = articles.get(recordId);
      doubled.add(
        article ? label(article) : recordId,
        `the same image (${sha.slice(0, 12)}…) was uploaded ${same.length} times${unreferenced ? ` (${unreferenced} never used by a write)` : ''}`,
      );
    }
  }
}
