// Who has a board open on this desk (issue 13), and which story each looks at or edits. Held in
// memory on purpose: it describes connections, which a restart closes; boards reconnect and say
// again. The bridge joins a board when its event socket opens and removes it when it closes; the
// board itself reports what it has open (setPresence).
import type { Presence } from '../../../shared/domain.ts';
import { roleAllows, type Actor } from '../../../shared/roles.ts';

export interface PresenceRegistry {
  join(session: string, actor: Actor): void;
  leave(session: string): void;
  /** False when the session is not this actor's (or not open). */
  update(session: string, actor: Actor, open: { viewing: string | null; editing: string | null }): boolean;
  list(): Presence[];
  /** Who else edits this story's prompt now (a soft lock's holders). */
  editorsOf(articleId: string, except?: string): Presence[];
  onChange(listener: (presence: Presence[]) => void): () => void;
}

export function createPresence(now: () => number = Date.now): PresenceRegistry {
  const sessions = new Map<string, Presence>();
  const listeners = new Set<(presence: Presence[]) => void>();
  const changed = () => {
    const list = registry.list();
    for (const listener of listeners) listener(list);
  };
  const registry: PresenceRegistry = {
    join(session, actor) {
      sessions.set(session, { session, name: actor.name, role: actor.role, viewing: null, editing: null, since: now() });
      changed();
    },
    leave(session) {
      if (sessions.delete(session)) changed();
    },
    update(session, actor, open) {
      const entry = sessions.get(session);
      if (!entry || entry.name !== actor.name) return false;
      // a viewer cannot edit: their board never holds the lock
      const editing = roleAllows(actor.role, 'editor') ? open.editing : null;
      if (entry.viewing === open.viewing && entry.editing === editing) return true;
      sessions.set(session, { ...entry, viewing: open.viewing, editing });
      changed();
      return true;
    },
    list: () => [...sessions.values()].sort((a, b) => a.since - b.since || a.session.localeCompare(b.session)),
    editorsOf: (articleId, except) => [...sessions.values()].filter((entry) => entry.editing === articleId && entry.session !== except),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return registry;
}
