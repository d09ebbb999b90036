// Use the editor's own photo instead: drop a file on the zone or choose one. The core decodes and
// checks it (type, size, damage) and says what is wrong; a quick size check here saves the upload.
import { useRef, useState, type DragEvent } from 'react';
import { MAX_PHOTO_BYTES } from '../../../../shared/contract.ts';
import { errorMessage } from '../../../../shared/error-message.ts';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';

/** The file as base64 (how it travels in the command, over IPC or the bridge alike). */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    // readAsDataURL always gives a string
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

interface PhotoUploadProps {
  busy: boolean;
  disabled: boolean;
  /** Resolves to why the photo was refused, or null once it is the story's image. */
  onUpload(photo: { fileName: string; dataBase64: string; credit?: string }): Promise<string | null>;
}

export function PhotoUpload({ busy, disabled, onUpload }: PhotoUploadProps) {
  const input = useRef<HTMLInputElement>(null);
  const [credit, setCredit] = useState('');
  const [over, setOver] = useState(false);
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'sending'; name: string } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  async function send(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_PHOTO_BYTES) {
      setState({
        kind: 'error',
        message: `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PHOTO_BYTES / 1024 / 1024} MB: export it as a JPEG at web size`,
      });
      return;
    }
    setState({ kind: 'sending', name: file.name });
    try {
      const dataBase64 = await readAsBase64(file);
      const refused = await onUpload({ fileName: file.name, dataBase64, ...(credit.trim() ? { credit: credit.trim() } : {}) });
      setState(refused === null ? { kind: 'idle' } : { kind: 'error', message: refused });
      if (refused === null) setCredit('');
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    } finally {
      if (input.current) input.current.value = '';
    }
  }

  const off = busy || disabled || state.kind === 'sending';
  return (
    <div className="photo-upload">
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        data-testid="photo-drop"
        onDragOver={(event: DragEvent) => {
          if (off) return;
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event: DragEvent) => {
          event.preventDefault();
          setOver(false);
          if (!off) void send(event.dataTransfer.files[0]);
        }}
      >
        <p>
          Drop a photo here or{' '}
          <button type="button" className="btn link" disabled={off} onClick={() => input.current?.click()}>
            choose a file…
          </button>
        </p>
        <p className="muted small">
          JPEG, PNG, WebP or AVIF, at least 1200×630, up to {MAX_PHOTO_BYTES / 1024 / 1024} MB. It is published as a photo, without the AI
          label: use only real photos.
        </p>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          className="sr-only"
          data-testid="photo-input"
          tabIndex={-1}
          aria-label="Photo file"
          onChange={(event) => void send(event.target.files?.[0])}
        />
      </div>
      <label htmlFor="photo-credit">Credit (optional)</label>
      <input
        id="photo-credit"
        data-testid="photo-credit"
        value={credit}
        maxLength={200}
        placeholder="e.g. Jane Doe / Harbour Herald"
        disabled={off}
        onChange={(event) => setCredit(event.target.value)}
      />
      {state.kind === 'sending' && (
        <p className="muted small" role="status">
          Checking and storing “{state.name}”…
        </p>
      )}
      {state.kind === 'error' && (
        <p className="error-box" role="alert" data-testid="photo-error">
          {state.message}
        </p>
      )}
    </div>
  );
}
