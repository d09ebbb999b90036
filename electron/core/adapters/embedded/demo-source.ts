// The embedded default source: a JSON file shaped like an AITable datasheet
// (<dataDir>/demo-datasheet.json). Anyone can append a record while Hero Desk runs to
// simulate a new story; the board's "Add story" form does the same through `append`.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { ArticleSource, PollResult, RejectedRecord, SourceArticle } from '../types.ts';
import { contentHash } from '../content-hash.ts';
import { demoDatasheet } from './demo-articles.ts';
import { writeFileAtomicSync } from '../../base/write-atomic.ts';
import { errorMessage } from '../../base/failures.ts';

/** The demo source's options in the config (`source: { "type": "demo", … }`). */
export const DemoSourceConfigSchema = z.strictObject({
  /** Overrides the top-level pollIntervalMs; default 1 s (a local file is cheap to read). */
  pollIntervalMs: z.number().int().min(200).max(600_000).optional(),
});
export const DEMO_POLL_INTERVAL_MS = 1000;

const RecordSchema = z.object({ recordId: z.string().min(1), fields: z.record(z.string(), z.unknown()) });
const SheetSchema = z.object({ records: z.array(z.unknown()) });

const FieldsSchema = z.object({
  Headline: z.string().trim().min(1, 'Headline is empty').max(300),
  Summary: z.string().max(4000).default(''),
  Section: z.string().trim().min(1).max(60).default('Local'),
  Breaking: z.boolean().default(false),
  'Story type': z.string().max(60).optional(),
  'Image prompt': z.string().max(4000).optional(),
});

export class DemoSource implements ArticleSource {
  readonly name = 'demo';
  readonly path: string;
  /** The file as the last poll read it: an idle desk polls every second and must not re-read megabytes. */
  private lastRead: { version: string; cursor: string | null } | null = null;

  constructor(path: string) {
    this.path = path;
    if (!existsSync(path)) this.write(demoDatasheet());
  }

  /** The cursor is a map of record id → content hash already delivered. */
  async poll(cursor: string | null): Promise<PollResult> {
    const version = this.fileVersion();
    if (cursor !== null && this.lastRead && this.lastRead.version === version && this.lastRead.cursor === cursor) {
      return { articles: [], rejected: [], cursor };
    }
    const result = await this.readAndCompare(cursor);
    this.lastRead = version === null ? null : { version, cursor: result.cursor };
    return result;
  }

  /** Size, modification time and inode (an atomic rewrite is a new file); null when it cannot be read. */
  private fileVersion(): string | null {
    try {
      const info = statSync(this.path, { bigint: true });
      return `${info.size}:${info.mtimeNs}:${info.ino}`;
    } catch {
      return null; // read() says what is wrong
    }
  }

  private async readAndCompare(cursor: string | null): Promise<PollResult> {
    const seen = (cursor ? JSON.parse(cursor) : {}) as Record<string, string>;
    const articles: SourceArticle[] = [];
    const rejected: RejectedRecord[] = [];
    for (const [index, raw] of this.read().entries()) {
      const record = RecordSchema.safeParse(raw);
      if (!record.success) {
        const reason = `record ${index} has no recordId/fields object`;
        if (seen[`#${index}`] !== reason) rejected.push({ recordId: `#${index}`, reason });
        seen[`#${index}`] = reason; // reported once, not on every poll
        continue;
      }
      const { recordId, fields } = record.data;
      const parsed = FieldsSchema.safeParse(fields);
      if (!parsed.success) {
        const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'fields'}: ${issue.message}`).join('; ');
        const key = `rejected:${reason}`;
        if (seen[recordId] !== key) rejected.push({ recordId, reason });
        seen[recordId] = key;
        continue;
      }
      const article = toArticle(recordId, parsed.data);
      const hash = contentHash(article);
      if (seen[recordId] === hash) continue;
      seen[recordId] = hash;
      articles.push(article);
    }
    return { articles, rejected, cursor: JSON.stringify(seen) };
  }

  /** Adds a record as a newsroom would; atomic (temp file + rename) so a poll never sees half a file. */
  append(fields: { headline: string; summary: string; section: string; breaking: boolean }): string {
    const sheet = { records: this.read() };
    const recordId = `rec${randomBytes(6).toString('hex')}`;
    const record = {
      Headline: fields.headline,
      Summary: fields.summary,
      Section: fields.section,
      ...(fields.breaking ? { Breaking: true } : {}),
    };
    sheet.records.push({ recordId, fields: record });
    this.write(sheet);
    return recordId;
  }

  private read(): unknown[] {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`demo datasheet ${this.path} is not readable JSON (${errorMessage(error)}); fix or delete it`, { cause: error });
    }
    const sheet = SheetSchema.safeParse(raw);
    if (!sheet.success) throw new Error(`demo datasheet ${this.path} must be {"records": [...]}`);
    return sheet.data.records;
  }

  private write(sheet: { records: unknown[] }): void {
    writeFileAtomicSync(this.path, `${JSON.stringify(sheet, null, 2)}\n`);
  }
}

function toArticle(recordId: string, fields: z.infer<typeof FieldsSchema>): SourceArticle {
  return {
    recordId,
    headline: fields.Headline,
    summary: fields.Summary,
    section: fields.Section,
    breaking: fields.Breaking,
    storyType: fields['Story type'] ?? null,
    promptOverride: fields['Image prompt'] ?? null,
    tier: fields.Breaking ? 'breaking' : 'regular',
  };
}
