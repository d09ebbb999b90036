// Alt text and credit for the story's image, before approving: what screen readers and the caption
// line get. Empty means automatic (the scorer's description, the site's name); the credit never
// replaces an AI image's "AI-generated" label.
import { useState } from 'react';
import type { Candidate } from '../../../../shared/domain.ts';
import { inBackground } from '../../in-background.ts';

interface ImageDetailsFormProps {
  image: Candidate;
  busy: boolean;
  onSave(details: { altText: string | null; credit: string | null }): Promise<boolean>;
}

export function ImageDetailsForm({ image, busy, onSave }: ImageDetailsFormProps) {
  // null = not edited: follow the image (the saved values come back with the next detail load)
  const [alt, setAlt] = useState<string | null>(null);
  const [credit, setCredit] = useState<string | null>(null);
  const altValue = alt ?? image.altTextOverride ?? '';
  const creditValue = credit ?? image.creditOverride ?? '';
  const dirty =
    (alt !== null && alt.trim() !== (image.altTextOverride ?? '')) || (credit !== null && credit.trim() !== (image.creditOverride ?? ''));

  return (
    <form
      className="image-details"
      data-testid="image-details"
      onSubmit={inBackground(async (event) => {
        event.preventDefault();
        if (await onSave({ altText: altValue.trim() || null, credit: creditValue.trim() || null })) {
          setAlt(null);
          setCredit(null);
        }
      })}
    >
      <label htmlFor="alt-text-input">Alt text</label>
      <textarea
        id="alt-text-input"
        data-testid="alt-text-input"
        rows={2}
        maxLength={500}
        value={altValue}
        placeholder={image.altText}
        onChange={(event) => setAlt(event.target.value)}
      />
      <label htmlFor="credit-input">Credit</label>
      <input
        id="credit-input"
        data-testid="credit-input"
        maxLength={200}
        value={creditValue}
        placeholder={image.source === 'editor' ? 'Photographer or agency' : 'Site name (default)'}
        onChange={(event) => setCredit(event.target.value)}
      />
      <p className="muted small">
        Readers see: <span data-testid="credit-line">{image.credit}</span>
        {image.aiGenerated && ' (the AI label always stays)'}
      </p>
      <div className="inline-actions">
        <button type="submit" className="btn" data-testid="save-details" disabled={busy || !dirty}>
          Save alt text and credit
        </button>
        {(image.altTextOverride !== null || image.creditOverride !== null) && (
          <button type="button" className="btn link" disabled={busy} onClick={() => void onSave({ altText: null, credit: null })}>
            Back to automatic
          </button>
        )}
      </div>
    </form>
  );
}
