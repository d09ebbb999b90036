// Where an editor finds every setting, provider and key name: in the desktop app, the example config
// shipped in the app's resources (opened by main in the system's editor) and the first-run setup in
// Settings → Connection; headless, the example in the installation's docs/ folder.
import { useState } from 'react';

export function ExampleConfig() {
  const setup = window.heroDeskSetup;
  const [answer, setAnswer] = useState<{ ok: boolean; message: string } | null>(null);
  if (!setup) {
    return (
      <>
        start from <code>docs/hero-desk.config.example.json</code> in the folder Hero Desk runs from
      </>
    );
  }
  return (
    <>
      use Settings → Connection → <em>Set up this computer’s pipeline</em>, or start from the{' '}
      <button
        type="button"
        className="link-btn"
        data-testid="open-example-config"
        onClick={() => void setup.openConfigExample().then(setAnswer, () => undefined)}
      >
        example config
      </button>{' '}
      shipped with the app
      {answer && !answer.ok && (
        <span className="error-box" role="alert">
          {' '}
          {answer.message}
        </span>
      )}
    </>
  );
}
