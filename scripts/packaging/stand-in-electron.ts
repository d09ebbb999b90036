// A stand-in for Electron's Linux binary, for packaging where Electron cannot be downloaded (our
// build machines): a shell script that carries the fuse wire exactly as Electron lays it out
// (sentinel, wire version 1, length, one '0'/'1' byte per fuse), so @electron/fuses can flip and
// read it like the real thing. It cannot run the app.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults for the eight V1 fuses (RunAsNode on, cookie encryption off, …, file:// privileges on). */
export const DEFAULT_WIRE = '10110001';

export async function writeStandInElectronDist(dir: string, executable = 'electron'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const body = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron: cannot run the app" >&2\nexit 1\n# '),
    Buffer.from(SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.from('\n'),
  ]);
  const path = join(dir, executable);
  await writeFile(path, body);
  await chmod(path, 0o755);
  return path;
}
