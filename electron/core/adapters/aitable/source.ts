// AITable as an ArticleSource: incremental polling on CREATED_TIME()/LAST_MODIFIED_TIME()
// since a persisted watermark, with overlap and dedupe, so a poll costs one request however
// large the datasheet. The core owns the timer and persists the cursor.
import { AdapterError } from '../types.ts';
import type { ArticleSource, PollResult, RejectedRecord, SourceArticle } from '../types.ts';
import { createHash } from 'node:crypto';
import { AitableError, createAitableClient } from './client.ts';
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
/** Polls between rereads of records that could not be read (about a minute at the default interval). */
const PARKED_RECHECK_EVERY = 12;
const PARKED_RECHECK_BATCH = 50;

/**
 * A refused poll query is almost always a mapped field that is missing or renamed (the formula names
 * them); AITable's own text (api_param_formula_error …) does not say so.
 */
function explainPollFailure(error: unknown): unknown {
  if (!(error instanceof AitableError) || error.kind !== 'bad_request') return error;
  return new AitableError(
    `${error.message} — AITable refused the poll query, which names every mapped field: a field may be missing or renamed; run \`hero-desk check\` to compare the mapping with the datasheet`,
    error.kind,
    error.status,
    error.code,
    { cause: error },
  );
}

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

  // what decides how a record reads: a change to it rereads the records that did not read before
  const mappingKey = createHash('sha256')
    .update(JSON.stringify([config.mapping, config.routing, config.fieldKey, config.breakingTier, config.defaultTier]))
    .digest('base64url')
    .slice(0, 16);
  let pollsSinceRecheck = 0;

  async function poll(cursorText: string | null, signal?: AbortSignal): Promise<PollResult> {
    let cursor: PollCursor | null = decodeCursor(cursorText);
    if (cursor === null) {
      if (cursorText !== null) deps.logger?.warn({ source: 'aitable' }, 'unreadable poll cursor; starting again from the look-back');
      cursor = { since: Date.now() - config.initialLookbackSeconds * 1000, seen: new Map(), mapping: mappingKey, parked: new Map() };
    }
    // whole-second timestamps and late commits: re-read the overlap, dedupe by content hash
    let afterMs = cursor.since - overlapMs - 1;
    if (cursor.mapping !== null && cursor.mapping !== mappingKey && cursor.parked.size > 0) {
      // the mapping changed: read the window of the records it could not read, afresh
      afterMs = Math.min(afterMs, Math.min(...cursor.parked.values()) - overlapMs - 1);
      for (const id of cursor.parked.keys()) cursor.seen.delete(id);
      deps.logger?.warn({ source: 'aitable', records: cursor.parked.size }, 'field mapping changed; reading skipped records again');
    }
    cursor.mapping = mappingKey;
    const page = await client
      .listAllRecords({ filterByFormula: changedSinceFormula(config, afterMs), fields }, signal)
      .catch((error: unknown) => {
        throw explainPollFailure(error);
      });
    const raws = [...page.records, ...(await recheckParked(cursor, signal))];

    const articles: SourceArticle[] = [];
    const rejected: RejectedRecord[] = [];
    let newest = cursor.since;
    for (const raw of raws) {
      const mapped = mapRecord(raw, config);
      const id = mapped.kind === 'article' ? mapped.article.recordId : mapped.rejected.recordId;
      if (mapped.modifiedAt !== null) newest = Math.max(newest, mapped.modifiedAt);
      if (mapped.kind === 'article') cursor.parked.delete(id);
      else cursor.parked.set(id, mapped.modifiedAt ?? cursor.since);
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

  /**
   * Records that did not read as articles (a field renamed in AITable, a headline left empty) are
   * read again now and then, so a fix on the AITable side brings them in without anyone editing them.
   */
  async function recheckParked(cursor: PollCursor, signal?: AbortSignal): Promise<unknown[]> {
    pollsSinceRecheck += 1;
    if (cursor.parked.size === 0 || pollsSinceRecheck < PARKED_RECHECK_EVERY) return [];
    pollsSinceRecheck = 0;
    const ids = [...cursor.parked.keys()].slice(0, PARKED_RECHECK_BATCH);
    // a formula, not recordIds=: a record deleted meanwhile is just absent, not an error for all
    const formula = `OR(${ids.map((id) => `RECORD_ID()="${id}"`).join(', ')})`;
    const page = await client.listRecords({ filterByFormula: formula, fields, pageSize: ids.length }, signal);
    const found = new Set(page.records.map((record) => (record as { recordId?: string }).recordId));
    for (const id of ids) if (!found.has(id)) cursor.parked.delete(id);
    return page.records;
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
      throw new AdapterError(
        `AITable datasheet ${config.datasheetId} does not match the field mapping:\n- ${problems.join('\n- ')}`,
        'bad_request',
      );
    }
    // proves the token, view, field list and the poll formula together, for one request
    await client.listRecords({ filterByFormula: changedSinceFormula(config, Date.now()), fields, pageSize: 1 }, signal);
  }

  return { name: 'aitable', client, poll, fetchOne, check };
}
