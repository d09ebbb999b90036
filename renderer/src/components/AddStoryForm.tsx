// Lets a demo user play newsroom: the story lands in the demo datasheet and flows in like any other.
import { useState, type FormEvent } from 'react';
import { useBoard } from '../store/context.ts';
import { inBackground } from '../in-background.ts';

export function AddStoryForm({ onDone }: { onDone(): void }) {
  const addStory = useBoard((s) => s.addStory);
  const [headline, setHeadline] = useState('');
  const [summary, setSummary] = useState('');
  const [section, setSection] = useState('Local');
  const [breaking, setBreaking] = useState(false);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!headline.trim()) return;
    setSending(true);
    const ok = await addStory({ headline: headline.trim(), summary, section: section.trim() || 'Local', breaking });
    setSending(false);
    if (ok) onDone();
  }

  return (
    <form className="add-story" onSubmit={inBackground(submit)} aria-label="Add story">
      <label>
        Headline
        <input
          data-testid="story-headline"
          value={headline}
          maxLength={300}
          required
          autoFocus
          onChange={(e) => setHeadline(e.target.value)}
        />
      </label>
      <label>
        Summary
        <textarea data-testid="story-summary" value={summary} rows={3} maxLength={4000} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <div className="add-story-row">
        <label>
          Section
          <input data-testid="story-section" value={section} maxLength={60} onChange={(e) => setSection(e.target.value)} />
        </label>
        <label className="checkbox">
          <input data-testid="story-breaking" type="checkbox" checked={breaking} onChange={(e) => setBreaking(e.target.checked)} />
          Breaking
        </label>
      </div>
      <div className="add-story-actions">
        <button type="button" className="btn ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn primary" data-testid="story-submit" disabled={sending || !headline.trim()}>
          {sending ? 'Adding…' : 'Add story'}
        </button>
      </div>
    </form>
  );
}
