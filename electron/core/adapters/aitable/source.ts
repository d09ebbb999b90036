// AITable as an ArticleSource: incremental polling on CREATED_TIME()/LAST_MODIFIED_TIME()
// since a persisted watermark, with overlap and dedupe, so a poll costs one request however
// large the datasheet. The core owns the timer and persists the cursor.
import { AdapterError } from '../types.ts';
import type { ArticleSource, PollResult, RejectedRecord, SourceArticle } from '../types.ts';
import { createAitableClient } from './client.ts';
import type { AitableClient } from './client.ts';
import { AitableConfigSchema } from './config.ts';
import type { AitableConfig, AitableConfigInput, AitableDeps } from './config.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { PollCursor } from './cursor.ts';
import { checkFields } from './field-check.ts';
import { inputFields, mapRecord } from './mapping.ts';

export interface AitableSource extends ArticleSource {
  readonly client: AitableClient;
  fetchOne(recordId: string, signal?: AbortSignal): Promise<SourceArticle | RejectedRecord | null>;
  check(signal?: AbortSignal): Promise<void>;
}

const RECORD_ID = /^rec[A-Za-z0-9]{3,40}$/;

/** `{Field name}` with the formula language's escapes. */
function fieldRef(ref: string): string {
  return `{${ref.replace(/[\\{}]/g, (c) => `\\${c}`)}}`;
}

/** Records created or (mapped-field-)edited strictly after `afterMs`. */
export function changedSinceFormula(config: AitableConfig, afterMs: number): string {
  const watched = config.watchFields === 'mapped' ? inputFields(config).map(fieldRef).join(', ') : '';
  return `OR(IS_AFTER(CREATED_TIME(), ${afterMs}), IS_AFTER(LAST_MODIFIED_TIME(${watched}), ${afterMs}))`;
}

export function createAitableSource(configInput: AitableConfigInput, deps: AitableDeps & { client?: AitableClient }): AitableSource {
  const config = AitableConfigSchema.parse(configInput);
  const client = deps.client ?? createAitableClient(config, deps);
  const overlapMs = config.overlapSeconds * 1000;
  const fields = inputFields(config);

  async function poll(cursorText: string | null, signal?: AbortSignal): Promise<PollResult> {
    let cursor: PollCursor | null = decodeCursor(cursorText);
    if (cursor === null) {
      if (cursorText !== null) deps.logger?.warn({ source: 'aitable' }, 'unreadable poll cursor; starting again from the look-back');
      cursor = { since: Date.now() - config.initialLookbackSeconds * 1000, seen: new Map() };
    }
    // whole-second timestamps and late commits: re-read the overlap, dedupe by content hash
    const afterMs = cursor.since - overlapMs - 1;
    const page = await client.listAllRecords({ filterByFormula: changedSinceFormula(config, afterMs), fields }, signal);

    const articles: SourceArticle[] = [];
    const rejected: RejectedRecord[] = [];
    let newest = cursor.since;
    for (const raw of page.records) {
      const mapped = mapRecord(raw, config);
      const id = mapped.kind === 'article' ? mapped.article.recordId : mapped.rejected.recordId;
      if (mapped.modifiedAt !== null) newest = Math.max(newest, mapped.modifiedAt);
      if (cursor.seen.get(id)?.hash === mapped.hash) continue;
      cursor.seen.set(id, { hash: mapped.hash, at: mapped.modifiedAt ?? cursor.since });
      if (mapped.kind === 'article') articles.push(mapped.article);
      else rejected.push(mapped.rejected);
    }
    if (!page.consistent) {
      // rows moved while paging (deletes shift pages): keep the old watermark and re-read next time
      deps.logger?.warn({ source: 'aitable', total: page.total }, 'datasheet changed while paging; watermark held');
    } else {
      cursor.since = newest;
    }
    if (page.requests > 1) deps.logger?.debug({ source: 'aitable', requests: page.requests }, 'poll needed several pages');
    return { articles, rejected, cursor: encodeCursor(cursor, overlapMs, config.dedupeMemory) };
  }

  async function fetchOne(recordId: string, signal?: AbortSignal): Promise<SourceArticle | RejectedRecord | null> {
    if (!RECORD_ID.test(recordId)) throw new AdapterError(`AITable: "${recordId.slice(0, 60)}" is not a record id`, 'bad_request');
    // a formula (not recordIds=) so an unknown id is an empty page, not a validation error
    const page = await client.listRecords({ filterByFormula: `RECORD_ID()="${recordId}"`, fields, pageSize: 1 }, signal);
    const raw = page.records[0];
    if (raw === undefined) return null;
    const mapped = mapRecord(raw, config);
    return mapped.kind === 'article' ? mapped.article : mapped.rejected;
  }

  async function check(signal?: AbortSignal): Promise<void> {
    const problems = checkFields(await client.getFields(signal), config);
    if (problems.length > 0) {
      throw new AdapterError(`AITable datasheet ${config.datasheetId} does not match the field mapping:\n- ${problems.join('\n- ')}`, 'bad_request');
    }
    // proves the token, view, field list and the poll formula together, for one request
    await client.listRecords({ filterByFormula: changedSinceFormula(config, Date.now()), fields, pageSize: 1 }, signal);
  }

  return { name: 'aitable', client, poll, fetchOne, check };
}
