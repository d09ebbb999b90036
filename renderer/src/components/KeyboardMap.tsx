// The keyboard map (opened with ?): every shortcut, and a way to rebind each single-key one. A new
// key that another action had is swapped, so no key ever does two things.
import { useEffect, useRef, useState } from 'react';
import { FIXED_KEYS, KEY_ACTION_NAMES, KEY_ACTIONS, keyLabel, type KeyAction } from '../keymap.ts';
import { keysStore, useKeys } from '../store/keys-store.ts';

export function KeyboardMap() {
  const open = useKeys((s) => s.mapOpen);
  if (!open) return null;
  return <KeyboardMapDialog />;
}

function KeyboardMapDialog() {
  const keymap = useKeys((s) => s.keymap);
  const [capturing, setCapturing] = useState<KeyAction | null>(null);
  const [message, setMessage] = useState('');
  const dialog = useRef<HTMLDivElement>(null);
  const close = () => keysStore.getState().setMapOpen(false);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.focus();
    return () => opener?.focus();
  }, []);

  return (
    <div className="modal-backdrop" onPointerDown={(event) => event.target === event.currentTarget && close()}>
      <div
        ref={dialog}
        className="modal keyboard-map"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keyboard-map-title"
        data-testid="keyboard-map"
        tabIndex={-1}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (capturing) {
            event.preventDefault();
            if (event.key === 'Escape') {
              setCapturing(null);
              setMessage('');
              return;
            }
            if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return;
            const result = keysStore.getState().bind(capturing, event.key);
            if ('error' in result) setMessage(result.error);
            else {
              const swapped = result.swapped
                ? `; ${KEY_ACTIONS[result.swapped].label} now uses ${keyLabel(keysStore.getState().keymap[result.swapped])}`
                : '';
              setMessage(`${KEY_ACTIONS[capturing].label}: ${keyLabel(event.key)}${swapped}`);
              setCapturing(null);
            }
            return;
          }
          if (event.key === 'Escape') close();
        }}
      >
        <div className="popover-head">
          <h2 id="keyboard-map-title">Keyboard</h2>
          <button type="button" className="btn icon" aria-label="Close (Esc)" onClick={close}>
            ×
          </button>
        </div>
        <table className="keys-table">
          <tbody>
            {KEY_ACTION_NAMES.map((action) => (
              <tr key={action} data-testid={`keymap-${action}`}>
                <th scope="row">{KEY_ACTIONS[action].label}</th>
                <td>
                  <kbd data-testid={`keymap-key-${action}`}>{keyLabel(keymap[action])}</kbd>
                </td>
                <td>
                  <button
                    type="button"
                    className="btn ghost"
                    data-testid={`keymap-change-${action}`}
                    aria-pressed={capturing === action}
                    onClick={() => setCapturing(capturing === action ? null : action)}
                  >
                    {capturing === action ? 'Press a key…' : 'Change'}
                  </button>
                </td>
              </tr>
            ))}
            {FIXED_KEYS.map((fixed) => (
              <tr key={fixed.keys} className="fixed">
                <th scope="row">{fixed.label}</th>
                <td>
                  <kbd>{fixed.keys}</kbd>
                </td>
                <td className="muted small">fixed</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="keymap-message" role="status" data-testid="keymap-message">
          {message}
        </p>
        <div className="modal-actions">
          <button
            type="button"
            className="btn ghost"
            data-testid="keymap-reset"
            onClick={() => {
              keysStore.getState().reset();
              setMessage('Shortcuts reset to the defaults');
            }}
          >
            Reset to defaults
          </button>
          <button type="button" className="btn primary" onClick={close}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
