// The setup channels behind `window.heroDeskSetup` (first run, and Settings → Connection): what the
// board is connected to, keeping the demo / this computer's pipeline, connecting to a newsroom desk
// and switching back. The choice and the desk's token stay in main (desk-connection.ts); every call
// must come from the board's own main frame (ipc.ts: registerSetupIpc checks, as for the board's commands). A change of mode
// restarts the app, so a running core is stopped cleanly and a desk-mode app never starts one.
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { DeskConnectInputSchema, type DeskCheck, type DesktopConnection, type DesktopSetupBridge } from '../../shared/desktop.ts';
import { checkDesk, DESK_TOKEN_SECRET, readDesktopChoice, writeDesktopChoice, type DeskFetch } from './desk-connection.ts';
import type { DesktopSecretStore } from './secrets.ts';

/** How this launch runs: decided once at start (a change restarts the app). */
export type StartMode = { kind: 'first-run' } | { kind: 'solo' } | { kind: 'desk'; deskUrl: string };

/** No stored choice: an existing config file means solo (an upgrade), nothing at all means first run. */
export function desktopStartMode(dataDir: string, configPath: string): StartMode {
  const choice = readDesktopChoice(dataDir);
  if (choice?.mode === 'desk') return { kind: 'desk', deskUrl: choice.deskUrl };
  if (choice?.mode === 'solo' || existsSync(configPath)) return { kind: 'solo' };
  return { kind: 'first-run' };
}

export interface FirstRunDeps {
  dataDir: string;
  configPath: string;
  mode: StartMode;
  /** The desk token's own encrypted store (desk.enc.json), apart from the core's keys. */
  deskSecrets: DesktopSecretStore;
  fetchDesk: DeskFetch;
  /** Relaunches the app (a clean quit first) so the new mode takes over. */
  restart(): void;
  /** Opens a file with the system's default app; resolves to an error text ('' when opened). */
  openPath(path: string): Promise<string>;
  exampleConfigPath: string;
  logger: Logger;
}

const NO_KEYCHAIN =
  'This computer offers no safe place for the token (the system keychain is not available), so it was not kept: sign in to the system keychain (on Linux: a running Secret Service such as GNOME Keyring), then connect again';

export function createSetupHandlers(deps: FirstRunDeps): DesktopSetupBridge {
  const storedDesk = async (): Promise<{ deskUrl: string; token: string; check: DeskCheck } | null> => {
    if (deps.mode.kind !== 'desk') return null;
    const { deskUrl } = deps.mode;
    const token = deps.deskSecrets.get(DESK_TOKEN_SECRET);
    if (!token) {
      const message =
        'This computer no longer has the token for the desk (the keychain was reset or is locked): connect to the desk again with your personal token';
      return { deskUrl, token: '', check: { status: 'refused', reason: 'token', message } };
    }
    return { deskUrl, token, check: await checkDesk({ deskUrl, token }, deps.fetchDesk) };
  };
  const solo = (): DesktopConnection => ({ mode: 'solo', configPath: deps.configPath });
  const later = (): void => void setTimeout(() => deps.restart(), 50); // after the answer reached the board

  return {
    async connection() {
      if (deps.mode.kind === 'first-run' && readDesktopChoice(deps.dataDir) === null) return { mode: 'first-run' };
      const desk = await storedDesk();
      if (desk === null) return solo();
      return { mode: 'desk', ...desk };
    },
    async chooseSolo() {
      if (deps.mode.kind === 'desk') {
        await this.switchToSolo();
        return solo();
      }
      writeDesktopChoice(deps.dataDir, { mode: 'solo' });
      deps.logger.info('desktop mode: this computer runs the pipeline');
      return solo();
    },
    async connectDesk(raw) {
      const parsed = DeskConnectInputSchema.safeParse(raw);
      if (!parsed.success) return { status: 'refused', reason: 'address', message: 'give the desk address and your personal token' };
      const check = await checkDesk(parsed.data, deps.fetchDesk);
      if (check.status !== 'ok') {
        deps.logger.warn({ reason: check.reason }, 'desk connection refused'); // never the token or the answer's text
        return check;
      }
      if (!deps.deskSecrets.encryptionAvailable) return { status: 'refused', reason: 'token', message: NO_KEYCHAIN };
      await deps.deskSecrets.set(DESK_TOKEN_SECRET, parsed.data.token.trim());
      writeDesktopChoice(deps.dataDir, { mode: 'desk', deskUrl: check.deskUrl });
      deps.logger.info(
        { deskUrl: check.deskUrl, account: check.actor?.name ?? null },
        'desktop mode: connected to a newsroom desk; restarting',
      );
      later();
      return check;
    },
    async checkDesk() {
      const desk = await storedDesk();
      return (
        desk?.check ?? {
          status: 'refused',
          reason: 'address',
          message: 'This computer is not connected to a desk: choose Connect to a desk in Settings',
        }
      );
    },
    async switchToSolo() {
      await deps.deskSecrets.delete(DESK_TOKEN_SECRET).catch(() => false);
      writeDesktopChoice(deps.dataDir, { mode: 'solo' });
      deps.logger.info('desktop mode: switched to this computer’s pipeline; restarting');
      later();
    },
    async restart() {
      deps.logger.info('restarting for a new config');
      later();
    },
    async openConfigExample() {
      if (!existsSync(deps.exampleConfigPath))
        return {
          ok: false,
          message: `The example config is missing from this installation (${deps.exampleConfigPath}): reinstall Hero Desk`,
        };
      const error = await deps.openPath(deps.exampleConfigPath);
      return error === ''
        ? { ok: true, message: `Opened ${deps.exampleConfigPath}` }
        : { ok: false, message: `Could not open ${deps.exampleConfigPath}: ${error}` };
    },
  };
}
