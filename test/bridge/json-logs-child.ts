// A bridge logging as `--json-logs` does (createLogger({ json: true }) on stderr), serving a board
// folder given on the command line; prints its origin, then stops when stdin closes.
import { startHttpBridge } from '../../electron/bridge/http-bridge.ts';
import { createLogger } from '../../electron/core/base/log.ts';
import { createFakeCore } from './fake-core.ts';

const rendererDir = process.argv[2]!;
const bridge = await startHttpBridge({ core: createFakeCore(), rendererDir, logger: createLogger({ json: true, level: 'info' }) });
process.stdout.write(`${bridge.origin}\n`);
process.stdin.resume();
process.stdin.on('end', () => void bridge.stop().then(() => process.exit(0)));
