// The fuses every shipped build carries (Electron security checklist item 19). Flipped by the
// afterPack hook (after-pack.ts) rather than electron-builder's `electronFuses`, because
// electron-builder flips those *after* afterPack: an ad-hoc signature applied in afterPack would
// then be invalidated, and afterSign never runs for an unsigned build.
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

export const HERO_DESK_FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  // no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect: the binary cannot be turned into a plain Node
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // app code only from the integrity-checked asar
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // the board comes from app://board/ (electron/main/app-protocol.ts): file:// pages get no extra powers
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** Names for logs and checks: index in the fuse wire → option name. */
export function fuseName(index: number): string {
  return FuseV1Options[index] ?? `fuse ${index}`;
}
