// electron-builder afterPack hook (electron-builder.yml `afterPack`). electron-builder 26 runs
// afterPack → its own `electronFuses` → signing, and afterSign only when something was signed.
// So this hook flips the fuses itself, and then, for a macOS build without a signing certificate,
// applies an ad-hoc signature: flipping fuses changes the Electron Framework binary, which breaks
// the signature Electron ships with, and Apple Silicon refuses to run arm64 code whose signature
// is broken. With a certificate, electron-builder signs (hardened runtime) and notarises next.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AfterPackContext } from 'electron-builder';
import { HERO_DESK_FUSES, fuseName } from './fuses.ts';
import { chooseWindowsSigner } from './win-sign.ts';

export interface AfterPackDeps {
  env: NodeJS.ProcessEnv;
  run: (command: string, args: string[]) => Promise<void>;
  log: (line: string) => void;
}

/** electron-builder signs a mac build when given a certificate (CSC_LINK) or a keychain identity name (CSC_NAME). */
export function macCertificateConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['CSC_LINK'] || env['CSC_NAME']);
}

/** `--deep` reaches the helper apps and frameworks; `-` is the ad-hoc identity. */
export function adHocSignArgs(appPath: string): string[] {
  return ['--force', '--deep', '--sign', '-', appPath];
}

export function macAppPath(context: Pick<AfterPackContext, 'appOutDir' | 'packager'>): string {
  return join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
}

type HookContext = Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName' | 'packager'> & AfterPackContext;

/** Whether this build will carry a real signature (the app turns updates off when not: shell/updates.ts). */
export function willBeSigned(platform: string, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin') return macCertificateConfigured(env);
  if (platform === 'win32') return chooseWindowsSigner(env, Boolean(env['WIN_CSC_LINK'] || env['CSC_LINK'])).kind !== 'none';
  return false;
}

export async function runAfterPack(context: HookContext, deps: AfterPackDeps): Promise<void> {
  await context.packager.addElectronFuses(context, HERO_DESK_FUSES);
  const signed = willBeSigned(context.electronPlatformName, deps.env);
  // next to app.asar, outside it: the asar's integrity hash is already fixed
  await writeFile(join(context.packager.getResourcesDir(context.appOutDir), 'build-info.json'), JSON.stringify({ signed }));
  deps.log(`hero-desk afterPack: build-info.json written (signed: ${signed})`);
  const set = Object.entries(HERO_DESK_FUSES)
    .filter(([key]) => key !== 'version')
    .map(([key, value]) => `${fuseName(Number(key))}=${value ? 'on' : 'off'}`);
  deps.log(`hero-desk afterPack: fuses applied (${set.join(', ')})`);

  if (context.electronPlatformName !== 'darwin') {
    deps.log(`hero-desk afterPack: ad-hoc signature not needed (${context.electronPlatformName} build)`);
    return;
  }
  if (macCertificateConfigured(deps.env)) {
    deps.log('hero-desk afterPack: signing certificate configured; electron-builder signs and notarises after the fuses');
    return;
  }
  const app = macAppPath(context);
  deps.log(`hero-desk afterPack: no signing certificate; applying an ad-hoc signature to ${app}`);
  await deps.run('codesign', adHocSignArgs(app));
  await deps.run('codesign', ['--verify', '--deep', '--strict', app]);
  deps.log('hero-desk afterPack: ad-hoc signature applied and verified');
}

const exec = promisify(execFile);

export default async function afterPack(context: AfterPackContext): Promise<void> {
  await runAfterPack(context, {
    env: process.env,
    run: async (command, args) => {
      await exec(command, args);
    },
    log: (line) => console.log(`  • ${line}`),
  });
}
