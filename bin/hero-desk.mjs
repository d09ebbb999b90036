#!/usr/bin/env node
// Launcher: checks the Node version (the CLI is TypeScript run by Node's type stripping),
// sets glibc's allocator up for sharp (electron/cli/lean-allocator.ts), then hands over to electron/cli/index.ts.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`hero-desk needs Node >= 22.12 (this is ${process.version}). Run: source scripts/ensure-node.sh`);
  process.exit(1);
}
const { relaunchWithLeanAllocator } = await import('../electron/cli/lean-allocator.ts');
relaunchWithLeanAllocator();
await import('../electron/cli/index.ts');
