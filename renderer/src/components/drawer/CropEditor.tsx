// The crops readers get (hero 16:9, Open Graph 1200×630, square), previewed with the same math
// the core uses to make them (shared/crop.ts), around a focal point the editor drags on the
// image, moves with the arrow keys, or sets with the two sliders. It is saved a moment after the
// last move and used by every variant at publication.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { CENTRE, CROP_SIZES, cropRectangle } from '../../../../shared/crop.ts';
import type { Candidate, FocalPoint } from '../../../../shared/domain.ts';

const PREVIEWED = CROP_SIZES.filter((size) => size.name !== 'thumb');
const PREVIEW_HEIGHT = 80;
const SAVE_AFTER_MS = 400;

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const percent = (v: number) => Math.round(v * 100);
const same = (a: FocalPoint, b: FocalPoint) => Math.abs(a.x - b.x) < 0.0005 && Math.abs(a.y - b.y) < 0.0005;

function CropPreview({ image, focal, size }: { image: Candidate; focal: FocalPoint; size: (typeof PREVIEWED)[number] }) {
  const rect = cropRectangle(image.width, image.height, size.width, size.height, focal);
  const width = Math.round((PREVIEW_HEIGHT * size.width) / size.height);
  const scale = width / rect.width;
  return (
    <figure className="crop" data-testid={`crop-${size.name}`} data-crop={`${rect.left},${rect.top},${rect.width},${rect.height}`}>
      <div className="crop-frame" style={{ width, height: PREVIEW_HEIGHT }}>
        <img
          src={image.url}
          alt=""
          style={{ width: image.width * scale, height: image.height * scale, left: -rect.left * scale, top: -rect.top * scale }}
        />
      </div>
      <figcaption>{size.label}</figcaption>
    </figure>
  );
}

interface CropEditorProps {
  image: Candidate;
  /**
   * True while the point cannot change (the story is being published). Not while our own save is in
   * flight: a disabled handle would drop the keyboard focus between two arrow presses.
   */
  locked: boolean;
  onSave(point: FocalPoint | null): Promise<boolean>;
}

export function CropEditor({ image, locked, onSave }: CropEditorProps) {
  const saved = image.focalPoint ?? CENTRE;
  const [draft, setDraft] = useState<FocalPoint | null>(null);
  const focal = draft ?? saved;
  const frame = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function move(point: FocalPoint, saveSoon = true) {
    const next = { x: clamp(point.x), y: clamp(point.y) };
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    // a failed save (said in a toast) puts the point back where it is saved
    if (saveSoon) timer.current = setTimeout(() => void onSave(next).then((ok) => ok || setDraft(null)), SAVE_AFTER_MS);
  }

  function pointAt(event: PointerEvent<HTMLDivElement>): FocalPoint {
    const box = frame.current!.getBoundingClientRect();
    return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
  }

  function onKey(event: KeyboardEvent<HTMLButtonElement>) {
    const step = event.shiftKey ? 0.1 : 0.02;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const delta = moves[event.key];
    if (delta) {
      event.preventDefault();
      event.stopPropagation(); // arrows move the focal point here, not the board's selection
      move({ x: focal.x + delta[0], y: focal.y + delta[1] });
    } else if (event.key === 'Home') {
      event.preventDefault();
      move(CENTRE);
    }
  }

  const label = `Focal point: ${percent(focal.x)}% across, ${percent(focal.y)}% down. Arrow keys move it, Shift for bigger steps, Home centres it.`;
  return (
    <div className="crop-editor">
      <div
        ref={frame}
        className="focal-frame"
        data-testid="focal-frame"
        style={{ aspectRatio: `${image.width} / ${image.height}` }}
        onPointerDown={(event) => {
          if (locked || event.button !== 0) return;
          dragging.current = true;
          event.currentTarget.setPointerCapture(event.pointerId);
          move(pointAt(event), false);
        }}
        onPointerMove={(event) => {
          if (dragging.current) move(pointAt(event), false);
        }}
        onPointerUp={(event) => {
          if (!dragging.current) return;
          dragging.current = false;
          move(pointAt(event));
        }}
      >
        <img src={image.url} alt="" draggable={false} />
        <button
          type="button"
          className="focal-handle"
          data-testid="focal-handle"
          data-focal={`${focal.x.toFixed(3)},${focal.y.toFixed(3)}`}
          aria-label={label}
          title={label}
          disabled={locked}
          style={{ left: `${focal.x * 100}%`, top: `${focal.y * 100}%` }}
          onKeyDown={onKey}
        />
      </div>
      <div className="focal-sliders">
        <label>
          Across <span className="muted">{percent(focal.x)}%</span>
          <input
            type="range"
            min={0}
            max={100}
            value={percent(focal.x)}
            disabled={locked}
            data-testid="focal-x"
            onChange={(e) => move({ x: Number(e.target.value) / 100, y: focal.y })}
          />
        </label>
        <label>
          Down <span className="muted">{percent(focal.y)}%</span>
          <input
            type="range"
            min={0}
            max={100}
            value={percent(focal.y)}
            disabled={locked}
            data-testid="focal-y"
            onChange={(e) => move({ x: focal.x, y: Number(e.target.value) / 100 })}
          />
        </label>
        {image.focalPoint && (
          <button
            type="button"
            className="btn link"
            disabled={locked}
            onClick={() => {
              setDraft(null);
              void onSave(null);
            }}
          >
            Centre again
          </button>
        )}
      </div>
      <div className="crops" data-testid="crops">
        {PREVIEWED.map((size) => (
          <CropPreview key={size.name} image={image} focal={focal} size={size} />
        ))}
      </div>
      <p className="muted small" data-testid="focal-status">
        {draft && !same(draft, saved)
          ? 'Saving the focal point…'
          : image.focalPoint
            ? 'Every crop centres on your focal point.'
            : 'Centred: drag the point to what must stay in every crop.'}
      </p>
    </div>
  );
}
