// Who did what (issue 13), read from the event log's actor column: the decisions a card shows and
// the audit's lines. Only the events that are a person's decision are listed; the bookkeeping a
// command causes (jobs queued, publications written) stays in the log but not in the audit.
import type { AuditEntry, CardDecisions } from '../../../shared/domain.ts';
import type { Store } from '../store/store.ts';
import { AUDIT_PAGE, attributedDecisionEvents, attributedEventsPage, type AttributedEventRow } from '../store/attributed-events.ts';

type EventRow = AttributedEventRow;

function parse(detail: string): Record<string, unknown> {
  try {
    const value = JSON.parse(detail) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The decision an event records, for the card; null when it is not one the card shows. */
function decisionOf(row: Pick<EventRow, 'type' | 'detail'>): keyof CardDecisions | null {
  if (row.type === 'prompt_edited') return 'promptEdited';
  if (row.type === 'correction') return 'retracted';
  if (row.type !== 'status') return null;
  const detail = parse(row.detail);
  if (detail.to === 'approved') return 'approved';
  if (detail.to === 'rejected' && !text(detail.note).startsWith('retracted')) return 'rejected';
  return null;
}

/** The latest attributed approval, rejection, retraction and prompt edit of each article. */
export function decisionsFor(store: Store, articleIds: readonly string[]): Map<string, CardDecisions> {
  const out = new Map<string, CardDecisions>();
  for (const row of attributedDecisionEvents(store, articleIds)) {
    const decision = decisionOf(row);
    if (decision === null || row.article_id === null) continue;
    const decisions = out.get(row.article_id) ?? { approved: null, rejected: null, retracted: null, promptEdited: null };
    decisions[decision] = { by: row.actor, at: row.at };
    out.set(row.article_id, decisions);
  }
  return out;
}

/** The audit's wording of an attributed event; null for bookkeeping the audit leaves out. */
export function describeEvent(type: string, detailJson: string): string | null {
  const detail = parse(detailJson);
  const note = text(detail.note);
  switch (type) {
    case 'status': {
      const to = text(detail.to);
      if (to === 'approved') return 'approved';
      if (to === 'rejected')
        return note.startsWith('retracted') ? null : note.startsWith('rejected: ') ? `rejected: ${note.slice(10)}` : 'rejected';
      if (to === 'pending') return 'asked for a new image';
      if (to === 'generated' && text(detail.from) === 'approved') return 'undid the approval';
      if (to === 'generated') return note ? `back to review (${note})` : 'back to review';
      return null;
    }
    case 'prompt_edited':
      return 'edited the prompt';
    case 'correction':
      return `retracted: ${text(detail.reason)}`;
    case 'safety_override':
      return `approved over a failed check: ${text(detail.reason)}`;
    case 'embargo_set':
      return typeof detail.publishAt === 'number'
        ? `set an embargo until ${new Date(detail.publishAt).toISOString()}`
        : 'lifted the embargo';
    case 'publish_now':
      return 'published now';
    case 'image_details':
      return 'changed the image details';
    case 'publication_retried':
      return 'retried the publication';
    case 'prioritised':
      return 'moved it to the front of the queue';
    case 'queue_paused':
      return `paused the queue (${text(detail.lane) || 'all'})`;
    case 'queue_resumed':
      return `resumed the queue (${text(detail.lane) || 'all'})`;
    case 'problem_resolved':
      return `dismissed a problem (${text(detail.area)})`;
    case 'account_added':
      return `added the account ${text(detail.name)} (${text(detail.role)})`;
    case 'account_revoked':
      return `revoked the account ${text(detail.name)}`;
    case 'notice':
      return text(detail.message) || null;
    default:
      return null;
  }
}

export interface AuditQuery {
  /** Only entries at or after this time (ms). */
  since?: number;
  articleId?: string;
  limit?: number;
}

/** Attributed actions, newest first. */
export function auditEntries(store: Store, query: AuditQuery = {}): AuditEntry[] {
  const limit = query.limit ?? 200;
  const entries: AuditEntry[] = [];
  let before = Number.MAX_SAFE_INTEGER;
  // the limit counts only what is shown
  while (entries.length < limit) {
    const rows = attributedEventsPage(store, { since: query.since, articleId: query.articleId, before });
    for (const row of rows) {
      const action = describeEvent(row.type, row.detail);
      if (action !== null)
        entries.push({
          seq: row.seq,
          at: row.at,
          actor: row.actor,
          articleId: row.article_id,
          headline: row.headline,
          type: row.type,
          action,
        });
      if (entries.length === limit) break;
    }
    if (rows.length < AUDIT_PAGE) break;
    before = rows.at(-1)!.seq;
  }
  return entries;
}
