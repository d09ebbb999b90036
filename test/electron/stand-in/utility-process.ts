// The stand-in's utilityProcess.fork: a Node child process with the documented UtilityProcess
// shape — postMessage, 'message', 'spawn' and 'exit' events, kill(), pid, stdout/stderr when
// stdio is 'pipe' — and process.parentPort inside the child (parent-port.ts). Values cross with
// structured clone ('advanced' serialization), as Electron's messages do.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

const parentPortShim = new URL('./parent-port.ts', import.meta.url).href;

export interface StandInForkOptions {
  env?: NodeJS.ProcessEnv;
  stdio?: 'pipe' | 'inherit' | 'ignore';
  serviceName?: string;
  execArgv?: string[];
  cwd?: string;
}

export class StandInUtilityProcess extends EventEmitter {
  private readonly child: ChildProcess;
  pid: number | undefined;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  constructor(child: ChildProcess) {
    super();
    this.child = child;
    this.pid = child.pid;
    this.stdout = child.stdout;
    this.stderr = child.stderr;
    child.on('spawn', () => this.emit('spawn'));
    child.on('message', (message) => this.emit('message', message));
    child.on('exit', (code, signal) => {
      this.pid = undefined;
      // Electron reports the waitpid status; a signal death is not a clean 0
      this.emit('exit', code ?? (signal ? 128 + 9 : 1));
    });
    child.on('error', () => undefined); // a send to a child already gone: Electron drops it too
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as never);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export function forkUtility(modulePath: string, args: string[] = [], options: StandInForkOptions = {}): StandInUtilityProcess {
  const stdio = options.stdio ?? 'inherit';
  const child = fork(modulePath, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', stdio, stdio, 'ipc'],
    serialization: 'advanced',
    execArgv: [...(options.execArgv ?? []), '--import', parentPortShim],
  });
  return new StandInUtilityProcess(child);
}
