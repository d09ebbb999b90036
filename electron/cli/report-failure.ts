// How a failed command ends: one line and exit 2 for what the user can fix (options, config, ports,
// accounts, the data folder), exit 1 with the stack for the rest. Loaded only when a command failed,
// so a command that runs (`hero-desk relay`) never loads the modules these errors come from.
import { ConfigError } from '../core/config/errors.ts';
import { machineFailureLine } from '../core/base/machine-errors.ts';
import { PortInUseError } from '../core/net/listen.ts';
import { ListenConfigError } from '../bridge/listen-config.ts';
import { AccountError } from '../core/accounts/accounts.ts';
import { ClaimRefusedError, ClaimUnavailableError } from '../core/desk/datasheet-claim.ts';
import { RelayStoreError } from '../core/relay/relay-store.ts';
import { RelayConfigError } from '../core/relay/relay-config.ts';
import { errorMessage } from '../core/base/failures.ts';
import { NotRunningError, OptionsError } from './cli-errors.ts';

export function reportFailure(error: unknown): never {
  if (error instanceof OptionsError || (error instanceof Error && error.name === 'AuditInputError')) {
    process.stderr.write(`hero-desk: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof NotRunningError) {
    process.stderr.write(`hero-desk: ${error.message}\n`);
    process.exit(1);
  }
  if (
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof RelayStoreError ||
    error instanceof RelayConfigError ||
    error instanceof ListenConfigError ||
    error instanceof AccountError ||
    error instanceof ClaimRefusedError ||
    error instanceof ClaimUnavailableError
  ) {
    process.stderr.write(`hero-desk: ${error.message}\n`);
    process.exit(2);
  }
  // a full disk, an unusable data folder: one line with the path, no stack
  const machine = machineFailureLine(error);
  if (machine !== null) {
    process.stderr.write(`hero-desk: ${machine}\n`);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(`hero-desk: ${errorMessage(error)} — is Hero Desk already running? Pick another port with --board-port.\n`);
    process.exit(2);
  }
  process.stderr.write(`hero-desk: ${error instanceof Error && error.stack ? error.stack : errorMessage(error)}\n`);
  process.exit(1);
}
