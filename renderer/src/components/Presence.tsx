// Presence on a newsroom desk (issue 13): who else has a board open, who looks at a story, and the
// soft lock — "Maria is editing the prompt" — that tells, without stopping anyone.
import { useEffect } from 'react';
import type { Presence } from '../../../shared/domain.ts';
import { useBoard } from '../store/context.ts';

const EMPTY: Presence[] = [];

function names(entries: readonly Presence[]): string[] {
  return [...new Set(entries.map((entry) => entry.name))];
}

/** Everyone else on this story: [viewers, editors], by name, this board left out. */
function useOthersOn(articleId: string): { viewing: string[]; editing: string[] } {
  const presence = useBoard((s) => (s.presence.length === 0 ? EMPTY : s.presence));
  const mine = useBoard((s) => s.mySession);
  const others = presence.filter((entry) => entry.session !== mine);
  return {
    editing: names(others.filter((entry) => entry.editing === articleId)),
    viewing: names(others.filter((entry) => entry.viewing === articleId && entry.editing !== articleId)),
  };
}

/** The header's "online" list: one name per person, however many boards they have open. */
export function OnlineList() {
  const presence = useBoard((s) => s.presence);
  const mine = useBoard((s) => s.mySession);
  if (presence.length === 0) return null;
  const me = presence.find((entry) => entry.session === mine)?.name ?? null;
  const people = names(presence);
  return (
    <div className="online" data-testid="presence-online" aria-label="Online on this desk">
      {people.map((name) => (
        <span key={name} className="online-name" data-testid="online-name" title={name === me ? `${name} (you)` : name}>
          {name}
          {name === me ? ' (you)' : ''}
        </span>
      ))}
    </div>
  );
}

/** A tile's line: who else has the story open or edits its prompt. */
export function CardPresence({ articleId }: { articleId: string }) {
  const { viewing, editing } = useOthersOn(articleId);
  if (viewing.length === 0 && editing.length === 0) return null;
  return (
    <div className="card-presence" data-testid="card-presence">
      {editing.length > 0 && <span className="presence-editing">{editing.join(', ')} editing</span>}
      {editing.length > 0 && viewing.length > 0 && ' · '}
      {viewing.length > 0 && <span>{viewing.join(', ')} looking</span>}
    </div>
  );
}

/** In the drawer: another editor holds the prompt's soft lock. */
export function SoftLockNotice({ articleId }: { articleId: string }) {
  const { editing } = useOthersOn(articleId);
  if (editing.length === 0) return null;
  return (
    <p className="soft-lock" role="status" data-testid="soft-lock">
      {editing.join(' and ')} {editing.length === 1 ? 'is' : 'are'} editing the prompt. You can still act; whoever saves second is told the
      story changed.
    </p>
  );
}

/** Tells the desk which story this drawer shows and whether its prompt is being edited. */
export function useReportPresence(articleId: string, editing: boolean): void {
  const report = useBoard((s) => s.reportPresence);
  useEffect(() => {
    report({ viewing: articleId, editing: editing ? articleId : null });
  }, [report, articleId, editing]);
  useEffect(() => () => report({ viewing: null, editing: null }), [report]);
}
