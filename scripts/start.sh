#!/usr/bin/env bash
# The main job on a fresh machine: get a suitable Node, install dependencies, build the board,
# and start Hero Desk headless on embedded defaults (no keys, no network).
# Extra arguments go to `hero-desk start` (e.g. --auto-approve 7, --data-dir DIR, --config FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# install only when the lockfile changed since the last install
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build > .hero-desk-build.log 2>&1 || { cat .hero-desk-build.log; exit 1; }
exec node bin/hero-desk.mjs start "$@"
