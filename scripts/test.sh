#!/usr/bin/env bash
# Every test on a fresh machine: a suitable Node, Debian's Chromium (for Playwright), a clean
# install from the lockfile, then lint, typecheck, build, unit/integration tests and the e2e flow.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test: no /usr/bin/chromium; install chromium or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
npm test
