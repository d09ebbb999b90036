// The first-run screen (issue 14), shown while the desktop app has no config and no choice yet
// (the demo runs underneath meanwhile), and again from Settings → Connection: try the demo,
// run the pipeline on this computer, or connect to the newsroom desk.
import { useState } from 'react';
import type { DesktopSetupBridge } from '../../../shared/desktop.ts';
import { DeskForm } from './DeskForm.tsx';
import { SoloSetup } from './SoloSetup.tsx';
import './setup.css';

type Step = 'choose' | 'solo' | 'desk';

export function FirstRun({ setup, onDone }: { setup: DesktopSetupBridge; onDone(): void }) {
  const [step, setStep] = useState<Step>('choose');
  const [failure, setFailure] = useState<string | null>(null);

  async function tryDemo() {
    try {
      await setup.chooseSolo();
      onDone();
    } catch (error) {
      setFailure(`Could not keep the choice: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <main className="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <header>
        <h1 id="first-run-title">Welcome to Hero Desk</h1>
        <p className="muted">
          Hero images for your newsroom’s stories, checked and costed before anyone sees them. How will you use it on this computer?
        </p>
      </header>
      {step === 'choose' && (
        <ul className="first-run-choices">
          <li>
            <h2>Try the demo first</h2>
            <p>Made-up stories and title-card images, made on this computer. No account, no keys, nothing leaves this computer.</p>
            <button type="button" className="btn primary" onClick={() => void tryDemo()} data-testid="choose-demo">
              Start the demo
            </button>
          </li>
          <li>
            <h2>Run the pipeline on this computer</h2>
            <p>
              Your AITable datasheet, your image service and its key, your storage and publishing. This computer makes and publishes the
              images.
            </p>
            <button type="button" className="btn" onClick={() => setStep('solo')} data-testid="choose-solo">
              Set up this computer
            </button>
          </li>
          <li>
            <h2>Connect to the newsroom desk</h2>
            <p>
              Your newsroom runs one Hero Desk for everyone: work the same board as your colleagues, live. You need its address and your
              personal token.
            </p>
            <button type="button" className="btn" onClick={() => setStep('desk')} data-testid="choose-desk">
              Connect to a desk
            </button>
          </li>
        </ul>
      )}
      {step === 'solo' && (
        <section className="first-run-step">
          <SoloSetup onBack={() => setStep('choose')} onRestart={() => void setup.chooseSolo().then(() => setup.restart())} />
        </section>
      )}
      {step === 'desk' && (
        <section className="first-run-step">
          <h2>Connect to the newsroom desk</h2>
          <DeskForm setup={setup} onCancel={() => setStep('choose')} />
        </section>
      )}
      {failure && (
        <p className="error-box" role="alert">
          {failure}
        </p>
      )}
      <footer className="muted small">
        Everything here can be changed later in Settings. Every setting, provider and key name is in the{' '}
        <button type="button" className="link-btn" onClick={() => void setup.openConfigExample()} data-testid="open-example">
          example config
        </button>
        .
      </footer>
    </main>
  );
}
