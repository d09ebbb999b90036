// The packaging hooks, driven the way electron-builder calls them, against a stand-in Electron
// binary whose fuse wire @electron/fuses really flips: fuses first, then (macOS, no certificate)
// an ad-hoc signature; Windows signing picks Azure Trusted Signing, a .pfx, or nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adHocSignArgs, runAfterPack } from '../../scripts/packaging/after-pack.ts';
import { writeStandInElectronDist } from '../../scripts/packaging/stand-in-electron.ts';
import { AZURE_SIGNING_ENV, chooseWindowsSigner, trustedSigningArgs } from '../../scripts/packaging/win-sign.ts';

const ENABLE = 49;
const DISABLE = 48;

describe('afterPack hook', () => {
  let dir: string;
  let binary: string;
  let steps: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hero-desk-pack-'));
    binary = await writeStandInElectronDist(dir, 'hero-desk');
    steps = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The slice of electron-builder's packager the hook uses; fuses go through the real @electron/fuses. */
  const context = (platform: string): AfterPackContext =>
    ({
      appOutDir: dir,
      electronPlatformName: platform,
      packager: {
        appInfo: { productFilename: 'Hero Desk' },
        getResourcesDir: () => dir,
        addElectronFuses: async (_context: unknown, fuses: Parameters<typeof flipFuses>[1]) => {
          steps.push('fuses');
          return flipFuses(binary, fuses);
        },
      },
    }) as unknown as AfterPackContext;

  const deps = (env: NodeJS.ProcessEnv) => ({
    env,
    run: async (command: string, args: string[]) => {
      steps.push([command, ...args].join(' '));
    },
    log: (line: string) => steps.push(`log: ${line}`),
  });

  it('flips the fuses in the packed binary', async () => {
    const before = await getCurrentFuseWire(binary);
    expect(before[FuseV1Options.RunAsNode]).toBe(ENABLE);
    await runAfterPack(context('linux'), deps({}));
    const after = await getCurrentFuseWire(binary);
    expect(after[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(after[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(after[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(after[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    expect(after[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(after[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(before[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ENABLE);
    expect(after[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    expect(steps.filter((step) => step.startsWith('codesign'))).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8'))).toEqual({ signed: false });
  });

  it('records in build-info.json whether the build will be signed', async () => {
    await runAfterPack(context('darwin'), deps({ CSC_LINK: 'base64-p12' }));
    expect(JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8'))).toEqual({ signed: true });
    await runAfterPack(context('win32'), deps({}));
    expect(JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8'))).toEqual({ signed: false });
    await runAfterPack(context('win32'), deps({ WIN_CSC_LINK: 'base64-pfx' }));
    expect(JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8'))).toEqual({ signed: true });
  });

  it('ad-hoc signs an unsigned macOS build after the fuses, then verifies the signature', async () => {
    await runAfterPack(context('darwin'), deps({}));
    const app = join(dir, 'Hero Desk.app');
    const commands = steps.filter((step) => !step.startsWith('log: '));
    expect(commands).toEqual(['fuses', `codesign --force --deep --sign - ${app}`, `codesign --verify --deep --strict ${app}`]);
    expect(steps).toContain(`log: hero-desk afterPack: no signing certificate; applying an ad-hoc signature to ${app}`);
    expect(adHocSignArgs(app)).toEqual(['--force', '--deep', '--sign', '-', app]);
  });

  it('leaves signing to electron-builder when a certificate is configured', async () => {
    await runAfterPack(context('darwin'), deps({ CSC_LINK: 'base64-p12' }));
    expect(steps.filter((step) => !step.startsWith('log: '))).toEqual(['fuses']);
  });

  it('fails the build when the ad-hoc signature cannot be applied', async () => {
    const failing = { ...deps({}), run: async () => Promise.reject(new Error('codesign: not found')) };
    await expect(runAfterPack(context('darwin'), failing)).rejects.toThrow('codesign: not found');
  });
});

describe('Windows sign hook', () => {
  const azure = Object.fromEntries(AZURE_SIGNING_ENV.map((name) => [name, `value-of-${name}`]));

  it('uses Azure Trusted Signing when all its settings are present', () => {
    expect(chooseWindowsSigner(azure, false)).toEqual({
      kind: 'azure',
      endpoint: 'value-of-AZURE_TRUSTED_SIGNING_ENDPOINT',
      account: 'value-of-AZURE_TRUSTED_SIGNING_ACCOUNT',
      profile: 'value-of-AZURE_TRUSTED_SIGNING_PROFILE',
    });
  });

  it('falls back to the .pfx, then to unsigned', () => {
    expect(chooseWindowsSigner({}, true)).toEqual({ kind: 'certificate' });
    expect(chooseWindowsSigner({}, false)).toEqual({ kind: 'none' });
  });

  it('names what is missing when Azure is partly configured', () => {
    expect(() => chooseWindowsSigner({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' }, true)).toThrow(
      'Azure Trusted Signing is partly configured: set AZURE_TRUSTED_SIGNING_ENDPOINT, AZURE_TRUSTED_SIGNING_ACCOUNT, AZURE_TRUSTED_SIGNING_PROFILE, AZURE_CLIENT_SECRET too, or unset AZURE_TENANT_ID, AZURE_CLIENT_ID to build unsigned',
    );
  });

  it('quotes paths for PowerShell and never passes the client secret on the command line', () => {
    const args = trustedSigningArgs("C:\\build\\Hero Desk's Setup.exe", {
      kind: 'azure',
      endpoint: 'https://weu.codesigning.azure.net/',
      account: 'newsroom',
      profile: 'public',
    });
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(args[3]).toContain("-Files 'C:\\build\\Hero Desk''s Setup.exe'");
    expect(args[3]).toContain("-Endpoint 'https://weu.codesigning.azure.net/'");
    expect(args.join(' ')).not.toContain('SECRET');
  });
});
