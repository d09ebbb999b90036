// electron-builder Windows sign hook (electron-builder.yml `win.signtoolOptions.sign`), called once
// per file to sign. Certificates issued since mid-2023 live in hardware or a cloud HSM, so an
// exportable .pfx is rare; this hook signs with Azure Trusted Signing when its settings are present,
// else with a .pfx (WIN_CSC_LINK / CSC_LINK, through electron-builder's own signtool), else skips:
// an unsigned build still completes, and says so in the log.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CustomWindowsSignTaskConfiguration, WinPackager } from 'electron-builder';

/** Azure Trusted Signing: the service's settings plus an app registration (read by Azure's EnvironmentCredential). */
export const AZURE_SIGNING_ENV = [
  'AZURE_TRUSTED_SIGNING_ENDPOINT', // e.g. https://weu.codesigning.azure.net/
  'AZURE_TRUSTED_SIGNING_ACCOUNT',
  'AZURE_TRUSTED_SIGNING_PROFILE',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
] as const;

export type WindowsSigner =
  { kind: 'azure'; endpoint: string; account: string; profile: string } | { kind: 'certificate' } | { kind: 'none' };

/** Partly configured Azure settings are a mistake to report, not a reason to ship unsigned quietly. */
export function chooseWindowsSigner(env: NodeJS.ProcessEnv, hasCertificate: boolean): WindowsSigner {
  const present = AZURE_SIGNING_ENV.filter((name) => Boolean(env[name]));
  if (present.length === AZURE_SIGNING_ENV.length) {
    return {
      kind: 'azure',
      endpoint: env['AZURE_TRUSTED_SIGNING_ENDPOINT'] as string,
      account: env['AZURE_TRUSTED_SIGNING_ACCOUNT'] as string,
      profile: env['AZURE_TRUSTED_SIGNING_PROFILE'] as string,
    };
  }
  if (present.length > 0) {
    const missing = AZURE_SIGNING_ENV.filter((name) => !env[name]);
    throw new Error(
      `Azure Trusted Signing is partly configured: set ${missing.join(', ')} too, or unset ${present.join(', ')} to build unsigned`,
    );
  }
  return hasCertificate ? { kind: 'certificate' } : { kind: 'none' };
}

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** PowerShell arguments for the TrustedSigning module's Invoke-TrustedSigning (installed by the release workflow). */
export function trustedSigningArgs(file: string, signer: Extract<WindowsSigner, { kind: 'azure' }>): string[] {
  const command = [
    'Invoke-TrustedSigning',
    `-Endpoint ${quote(signer.endpoint)}`,
    `-CodeSigningAccountName ${quote(signer.account)}`,
    `-CertificateProfileName ${quote(signer.profile)}`,
    `-Files ${quote(file)}`,
    '-FileDigest SHA256',
    `-TimestampRfc3161 ${quote('http://timestamp.acs.microsoft.com')}`,
    '-TimestampDigest SHA256',
  ].join(' ');
  return ['-NoProfile', '-NonInteractive', '-Command', command];
}

interface SignToolManagerLike {
  doSign(configuration: CustomWindowsSignTaskConfiguration, packager: WinPackager): Promise<void>;
}

const exec = promisify(execFile);

export default async function sign(configuration: CustomWindowsSignTaskConfiguration, packager?: WinPackager): Promise<void> {
  const signer = chooseWindowsSigner(process.env, configuration.cscInfo != null);
  if (signer.kind === 'none') {
    console.log(`  • hero-desk sign: no Windows signing settings; ${configuration.path} left unsigned`);
    return;
  }
  if (signer.kind === 'azure') {
    if (configuration.hash !== 'sha256') return; // Trusted Signing signs SHA-256 only; one pass per file
    console.log(`  • hero-desk sign: Azure Trusted Signing ${configuration.path}`);
    await exec('powershell.exe', trustedSigningArgs(configuration.path, signer));
    return;
  }
  // A .pfx: electron-builder's own signtool invocation, as without this hook.
  const manager = (await packager?.signingManager.value) as Partial<SignToolManagerLike> | undefined;
  if (packager === undefined || typeof manager?.doSign !== 'function') {
    throw new Error(
      'cannot sign with the .pfx: this electron-builder version has no signtool manager; update scripts/packaging/win-sign.ts',
    );
  }
  console.log(`  • hero-desk sign: signtool with the .pfx ${configuration.path}`);
  await manager.doSign(configuration, packager);
}
