// Gathers the verifier's facts: Hero Desk's SQLite file (read-only), the stored images, the
// AITable fake's records, uploads and request log, and the independent reader's deliveries.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import { keyOf } from './expected-fields.ts';
import type { ArticleFacts, ImageFacts, IntegrityFacts, RecordFacts, UploadFacts } from './facts.ts';
import { AITABLE_FIELDS } from './hero-desk.ts';
import { integrityOf, withStore, type StoreReader } from './store-reader.ts';
import { asText } from '../../test/helpers/text.ts';

type Row = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : null);

function sha256Of(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

function imageFacts(db: StoreReader, imageId: number, mediaDir: string): ImageFacts | null {
  const row = db.prepare('SELECT * FROM images WHERE id = ?').get(imageId) as Row | undefined;
  if (!row) return null;
  let variants: Record<string, unknown> = {};
  try {
    variants = JSON.parse(text(row.variants) ?? '{}') as Record<string, unknown>;
  } catch {
    // unreadable variants: treated as none
  }
  const hero = text(variants['hero.webp']);
  const heroKey = hero === null ? null : keyOf(hero);
  const key = text(row.storage_key) ?? keyOf(text(row.url) ?? '');
  const stored = heroKey ?? key;
  return {
    key,
    heroKey,
    score: num(row.score),
    description: text(row.description),
    heroSha256: sha256Of(path.join(mediaDir, ...stored.split('/'))),
  };
}

export function collectArticles(dbPath: string, mediaDir: string): ArticleFacts[] {
  return (
    withStore(dbPath, (db) => {
      const open = new Map<string, string[]>();
      for (const job of db.prepare("SELECT * FROM jobs WHERE status IN ('queued', 'running')").all() as Row[]) {
        const id = String(job.article_id);
        const tried = num(job.attempts) ? `, ${num(job.attempts)} attempts` : '';
        const error = text(job.last_error) ? `, last error: ${text(job.last_error)}` : '';
        open.set(id, [...(open.get(id) ?? []), `${String(job.kind)}:${String(job.status)}${tried}${error}`]);
      }
      const costs = new Map<string, number>();
      for (const row of db.prepare('SELECT article_id, SUM(cost_usd) AS cost FROM attempts GROUP BY article_id').all() as Row[]) {
        costs.set(String(row.article_id), num(row.cost) ?? 0);
      }
      return (db.prepare('SELECT * FROM articles ORDER BY created_at').all() as Row[]).map((row) => {
        const id = String(row.id);
        const imageId = num(row.current_image_id);
        return {
          id,
          headline: String(row.headline),
          status: String(row.status),
          version: num(row.version) ?? 0,
          lastError: text(row.last_error),
          openJobs: open.get(id) ?? [],
          image: imageId === null ? null : imageFacts(db, imageId, mediaDir),
          costUsd: costs.get(id) ?? 0,
        };
      });
    }) ?? []
  );
}

export function collectRecords(fake: FakeFusion): RecordFacts[] {
  const shaByToken = new Map(fake.uploadLog.map((u) => [u.token, u.sha256]));
  return fake.records.map((rec) => {
    const cells = fake.cellsOf(rec.recordId);
    const files = Array.isArray(cells[AITABLE_FIELDS.imageAttachment])
      ? (cells[AITABLE_FIELDS.imageAttachment] as { token?: string }[])
      : [];
    return {
      recordId: rec.recordId,
      headline: asText(cells.Headline),
      cells,
      attachmentShas: files.map((f) => (f.token ? (shaByToken.get(f.token) ?? null) : null)),
    };
  });
}

/** Every completed upload, with the records whose write requests named its token. */
export function collectUploads(fake: FakeFusion): UploadFacts[] {
  const referencedBy = new Map<string, string[]>();
  for (const req of fake.requests) {
    if (!['PATCH', 'PUT', 'POST'].includes(req.method) || !req.path.endsWith('/records')) continue;
    const items = (req.body as { records?: { recordId?: string; fields?: Record<string, unknown> }[] } | null)?.records ?? [];
    for (const item of items) {
      for (const value of Object.values(item.fields ?? {})) {
        if (!Array.isArray(value)) continue;
        for (const file of value as { token?: unknown }[]) {
          if (typeof file?.token === 'string' && item.recordId)
            referencedBy.set(file.token, [...(referencedBy.get(file.token) ?? []), item.recordId]);
        }
      }
    }
  }
  const writes = fake.requests.filter(
    (r) => (r.method === 'POST' && r.path.endsWith('/attachments')) || (['PATCH', 'PUT'].includes(r.method) && r.path.endsWith('/records')),
  );
  return fake.uploadLog.map((upload) => {
    const request = fake.requests.find((r) => r.uploadToken === upload.token);
    return {
      nextWriteAt: writes.find((r) => r.at > upload.at)?.at ?? null,
      token: upload.token,
      sha256: upload.sha256,
      name: upload.name,
      at: upload.at,
      requestedAt: request?.at ?? upload.at,
      referencedBy: referencedBy.get(upload.token) ?? [],
      answered: request?.status === 200 && request.fault !== 'truncated-json',
    };
  });
}

/** integrity_check of hero-desk.db and of the relay's data file (SQLite, or JSON / JSON lines). */
export function collectIntegrity(dbPath: string, relayDataFile: string | null): IntegrityFacts[] {
  const storeName = dbPath.startsWith('postgres:') ? `PostgreSQL schema ${dbPath.slice('postgres:'.length)}` : 'hero-desk.db';
  const out: IntegrityFacts[] = [{ name: storeName, result: integrityOf(dbPath), checked: true }];
  if (relayDataFile === null) return out;
  const name = `relay data file ${path.basename(relayDataFile)}`;
  if (!existsSync(relayDataFile)) return [...out, { name, result: 'missing after the run', checked: true }];
  const head = readFileSync(relayDataFile).subarray(0, 16).toString('latin1');
  if (head.startsWith('SQLite format 3')) return [...out, { name, result: integrityOf(relayDataFile), checked: true }];
  const content = readFileSync(relayDataFile, 'utf8');
  try {
    JSON.parse(content);
    return [...out, { name, result: 'ok', checked: true }];
  } catch {
    const lines = content.split('\n').filter((l) => l.trim() !== '');
    const bad = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    if (lines.length > 0 && bad.length === 0) return [...out, { name, result: 'ok', checked: true }];
    return [
      ...out,
      {
        name,
        result: `format not recognised (not SQLite, JSON or JSON lines); ${bad.length} unparsable lines — not checked`,
        checked: false,
      },
    ];
  }
}
