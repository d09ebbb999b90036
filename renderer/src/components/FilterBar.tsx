// Find and filter: search over headline, section and prompt; section, tier and status; the quick
// toggles an editor on deadline reaches for; quick and saved views; and how many stories it shows.
import { useState } from 'react';
import { ARTICLE_STATUSES, TIERS } from '../../../shared/domain.ts';
import { EMPTY_FILTER, filterToQuery, isFiltering, STARTER_VIEWS, type Filter } from '../board/filter.ts';
import { STATUS_LABEL } from '../format.ts';
import { keyLabel } from '../keymap.ts';
import { useBoard } from '../store/context.ts';
import { useKeyFor } from '../store/keys-store.ts';
import { useSavedViews } from '../views.ts';

const TIER_LABEL = { breaking: 'Breaking', regular: 'Regular', default: 'Default' } as const;
const TOGGLES: { key: 'stale' | 'lowScore' | 'flagged' | 'pastDeadline'; label: string; title: string }[] = [
  { key: 'pastDeadline', label: 'Past deadline', title: "Stories past their tier's deadline" },
  { key: 'lowScore', label: 'Low score', title: 'Scored below the threshold' },
  { key: 'flagged', label: 'Flagged', title: 'The scorer raised a safety flag (a person, text, gore …)' },
  { key: 'stale', label: 'Stale', title: 'The story changed after approval' },
];

function ShownCount() {
  const shown = useBoard((s) => Object.values(s.view).reduce((n, list) => n + list.length, 0));
  const total = useBoard((s) => Object.values(s.columns).reduce((n, list) => n + list.length, 0));
  const filtering = useBoard((s) => isFiltering(s.filter));
  return (
    <span className="filter-count" data-testid="filter-count" aria-live="polite">
      {filtering ? `${shown} of ${total} stories` : `${total} stories`}
    </span>
  );
}

function SavedViews({ filter, setFilter }: { filter: Filter; setFilter(filter: Filter): void }) {
  const { views, save, remove } = useSavedViews();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const query = filterToQuery(filter);
  const current = views.find((view) => filterToQuery(view.filter) === query) ?? null;
  const all = [...STARTER_VIEWS.map((view) => ({ ...view, saved: false })), ...views.map((view) => ({ ...view, saved: true }))];
  const selectedName = all.find((view) => filterToQuery(view.filter) === query && query !== '')?.name ?? '';

  if (naming) {
    return (
      <form
        className="view-save"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) save(name.trim(), filter);
          setNaming(false);
          setName('');
        }}
      >
        <input
          data-testid="view-name"
          aria-label="Name of the view"
          value={name}
          maxLength={40}
          placeholder="View name"
          autoFocus
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
        />
        <button type="submit" className="btn" data-testid="view-save-confirm" disabled={!name.trim()}>
          Save
        </button>
        <button type="button" className="btn ghost" onClick={() => setNaming(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="views">
      <select
        data-testid="views"
        aria-label="Views"
        value={selectedName}
        onChange={(event) => {
          const view = all.find((candidate) => candidate.name === event.target.value);
          setFilter(view ? view.filter : EMPTY_FILTER);
        }}
      >
        <option value="">All stories</option>
        <optgroup label="Quick views">
          {STARTER_VIEWS.map((view) => (
            <option key={`quick-${view.name}`} value={view.name}>
              {view.name}
            </option>
          ))}
        </optgroup>
        {views.length > 0 && (
          <optgroup label="Saved views">
            {views.map((view) => (
              <option key={`saved-${view.name}`} value={view.name}>
                {view.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {current ? (
        <button type="button" className="btn ghost" data-testid="view-delete" onClick={() => remove(current.name)}>
          Delete view
        </button>
      ) : (
        <button type="button" className="btn ghost" data-testid="view-save" disabled={!isFiltering(filter)} onClick={() => setNaming(true)}>
          Save view…
        </button>
      )}
    </div>
  );
}

export function FilterBar() {
  const filter = useBoard((s) => s.filter);
  const setFilter = useBoard((s) => s.setFilter);
  const searchKey = useKeyFor('search');
  const sections = useBoard((s) => s.summary.sections);
  const [open, setOpen] = useState(false);
  const activeFilters =
    filter.sections.length + filter.tiers.length + filter.statuses.length + TOGGLES.filter((toggle) => filter[toggle.key]).length;
  const one = <T extends string>(value: string, allowed: readonly T[]): T[] =>
    (allowed as readonly string[]).includes(value) ? [value as T] : [];

  return (
    // a div, not a form: the saved-view name has its own form, and forms do not nest
    <div className="filter-bar" role="search" aria-label="Find and filter stories">
      <input
        type="search"
        className="search"
        data-testid="search"
        value={filter.text}
        placeholder="Search headline, section, prompt"
        aria-label={`Search stories (${keyLabel(searchKey)})`}
        aria-keyshortcuts={searchKey}
        onChange={(event) => setFilter({ text: event.target.value })}
        onKeyDown={(event) => {
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
      />
      {/* on a phone the filters fold away behind one button; wider, they are all in the bar */}
      <button
        type="button"
        className="btn filters-toggle"
        data-testid="filters-toggle"
        aria-expanded={open}
        aria-controls="filter-more"
        onClick={() => setOpen((v) => !v)}
      >
        Filters{activeFilters > 0 ? ` (${activeFilters})` : ''}
      </button>
      <div className="filter-more" id="filter-more" data-open={open}>
        <select
          data-testid="filter-section"
          aria-label="Section"
          value={filter.sections[0] ?? ''}
          onChange={(e) => setFilter({ sections: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">All sections</option>
          {[...new Set([...sections, ...filter.sections])].map((section) => (
            <option key={section} value={section}>
              {section}
            </option>
          ))}
        </select>
        <select
          data-testid="filter-tier"
          aria-label="Tier"
          value={filter.tiers[0] ?? ''}
          onChange={(e) => setFilter({ tiers: one(e.target.value, TIERS) })}
        >
          <option value="">All tiers</option>
          {TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {TIER_LABEL[tier]}
            </option>
          ))}
        </select>
        <select
          data-testid="filter-status"
          aria-label="Status"
          value={filter.statuses[0] ?? ''}
          onChange={(e) => setFilter({ statuses: one(e.target.value, ARTICLE_STATUSES) })}
        >
          <option value="">All statuses</option>
          {ARTICLE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABEL[status]}
            </option>
          ))}
        </select>
        <div className="toggles" role="group" aria-label="Only show">
          {TOGGLES.map((toggle) => (
            <button
              key={toggle.key}
              type="button"
              className="chip"
              data-testid={`filter-${toggle.key}`}
              aria-pressed={filter[toggle.key]}
              title={toggle.title}
              onClick={() => setFilter({ [toggle.key]: !filter[toggle.key] })}
            >
              {toggle.label}
            </button>
          ))}
        </div>
        <ShownCount />
        {isFiltering(filter) && (
          <button type="button" className="btn link" data-testid="filter-clear" onClick={() => setFilter(EMPTY_FILTER)}>
            Clear
          </button>
        )}
        <SavedViews filter={filter} setFilter={(next) => setFilter(next)} />
      </div>
    </div>
  );
}
